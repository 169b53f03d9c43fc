import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { pythonJsonDumps } from "../util/python-json.js";
import { parsePauseData, toPauseData } from "./pause-state.js";

const dir = join(import.meta.dirname, "..", "..", "test", "fixtures", "pause-data");
const fixture = (name: string) => JSON.parse(readFileSync(join(dir, name), "utf8"));

describe("pause_data", () => {
  it("reads the reference's client-tool pause and writes it back byte for byte", () => {
    const raw = fixture("v1-reference-client-tool.json");
    const state = parsePauseData("r1", raw);
    expect(state.pendingToolCalls).toEqual([{ name: "read_range", params: { sheet: "S1" }, id: "01M8TEA1VK0000000000000002", providerToolCallId: "toolu_2" }]);
    expect(state.steps[0]!.action).toMatchObject({ type: "tool_calls", calls: [{ name: "add" }, { name: "read_range" }] });
    expect(state.history[2]).toEqual({ role: "tool", content: "3", name: "add", callId: "01M8TEA1VK0000000000000001" });
    expect(state.usage).toMatchObject({ inputTokens: 20, costUsd: 0.00123456789, cacheReadInputTokens: 3, cacheCreationInputTokens: null, reasoningTokens: null });
    const { reasoning_tokens: _added, ...usage } = toPauseData(state).usage as Record<string, unknown>;
    expect(pythonJsonDumps({ ...toPauseData(state), usage })).toBe(readFileSync(join(dir, "v1-reference-client-tool.json"), "utf8").trim());
  });

  it("keeps clarification options, stable placement and submitted results", () => {
    const human = parsePauseData("r2", fixture("v1-reference-human-input.json"));
    expect(human.steps[0]!.action).toEqual({ type: "clarification", question: "Which order?", options: ["o1", "o2"] });
    expect(human.history[0]!.placement).toBe("stable");
    const submitted = parsePauseData("r3", fixture("v1-submitted.json"));
    expect(submitted.submittedToolResults).toEqual([{ name: "read_range", callId: "01M8TEA1VK0000000000000002", payload: "[[42]]", success: true, error: null, durationMs: 0 }]);
    expect(submitted.usage.reasoningTokens).toBe(4);
  });

  it("rejects malformed blobs, naming the run", () => {
    const negatives = readdirSync(dir).filter((f) => f.startsWith("negative-"));
    expect(negatives.length).toBeGreaterThanOrEqual(3);
    for (const name of negatives) {
      expect(() => parsePauseData("run-x", fixture(name)), name).toThrow(ValidationError);
      expect(() => parsePauseData("run-x", fixture(name)), name).toThrow(/Run 'run-x' has malformed pause data/);
    }
  });

  it("names the field of a corrupt blob", () => {
    const raw = fixture("v1-reference-client-tool.json");
    const bad = { ...raw, history: [raw.history[0], { ...raw.history[1], role: "robot" }] };
    expect(() => parsePauseData("run-y", bad)).toThrow(/Run 'run-y' has malformed pause data: history\[1\]\.role: /);
    expect(() => parsePauseData("run-y", { ...raw, iteration: -1 })).toThrow(/iteration: /);
    expect(() => parsePauseData("run-y", { ...raw, steps: [{ action: { type: "dance" } }] })).toThrow(/steps\[0\]\.action/);
  });

  it("keeps approvals of a batch paused again after its approval", () => {
    const state = parsePauseData("r4", { ...fixture("v1-reference-client-tool.json"), approved_call_ids: ["01M8TEA1VK0000000000000002"] });
    expect(state.approvedCallIds).toEqual(["01M8TEA1VK0000000000000002"]);
    expect(toPauseData(state).approved_call_ids).toEqual(["01M8TEA1VK0000000000000002"]);
    expect("approved_call_ids" in toPauseData({ ...state, approvedCallIds: [] })).toBe(false);
  });
});
