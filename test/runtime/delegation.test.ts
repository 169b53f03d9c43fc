import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { Agent, DelegationDepthExceededError, tool } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { currentDelegation } from "../../src/runtime/delegation.js";

/** An agent whose tool runs `child` as a sub-agent and reports what it saw. */
function parentWith(child: () => Agent, maxDelegationDepth?: number | null) {
  const seen: unknown[] = [];
  const delegate = tool({
    name: "delegate",
    description: "",
    parameters: z.object({}),
    execute: async () => {
      seen.push(currentDelegation());
      const result = await child().run("sub task");
      return result.answer;
    },
  });
  const parent = new Agent({
    name: "Parent",
    provider: new MockLLM([{ toolCalls: [{ name: "delegate" }] }, "done"]),
    prompt: "p",
    tools: [delegate],
    ...(maxDelegationDepth !== undefined ? { maxDelegationDepth } : {}),
  });
  return { parent, seen };
}

describe("delegation", () => {
  it("gives a sub-agent its parent run and depth", async () => {
    let childFrame: unknown;
    const probe = tool({ name: "probe", description: "", parameters: z.object({}), execute: () => { childFrame = currentDelegation(); return "ok"; } });
    const child = () => new Agent({ name: "Child", provider: new MockLLM([{ toolCalls: [{ name: "probe" }] }, "child answer"]), prompt: "c", tools: [probe] });
    const { parent, seen } = parentWith(child);
    const result = await parent.run("go");
    expect(result.status).toBe("success");
    expect(seen[0]).toMatchObject({ runId: result.runId, level: 0, maxDepth: 10 });
    expect(childFrame).toMatchObject({ level: 1, maxDepth: 10 });
    expect((childFrame as { runId: string }).runId).not.toBe(result.runId);
  });

  it("raises DelegationDepthExceededError past the limit", async () => {
    const child = () => new Agent({ name: "Child", provider: new MockLLM(["x"]), prompt: "c" });
    const { parent } = parentWith(child, 0);
    const result = await parent.run("go");
    // the tool failed; the parent run goes on and the model sees the error
    expect(result.status).toBe("success");
    const error = await (async () => {
      const deep = tool({ name: "deep", description: "", parameters: z.object({}), execute: () => child().run("x") });
      const agent = new Agent({ provider: new MockLLM([{ toolCalls: [{ name: "deep" }] }, "ok"]), prompt: "p", tools: [deep], maxDelegationDepth: 0 });
      const llm = agent.provider as MockLLM;
      await agent.run("go");
      return llm.calls[1]!.messages.at(-1)!.content;
    })();
    expect(JSON.parse(error).error).toBe("Delegation depth 1 exceeds maxDelegationDepth=0. Increase the limit or restructure the agent tree.");
    expect(new DelegationDepthExceededError({ delegationLevel: 1, maxDepth: 0 }).name).toBe("DelegationDepthExceededError");
  });

  it("a child can tighten its parent's limit but not loosen it, and says so once per parent", async () => {
    vi.stubEnv("DENDRUX_LOG", "");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const frames: unknown[] = [];
      const probe = tool({ name: "probe", description: "", parameters: z.object({}), execute: () => { frames.push(currentDelegation()); return "ok"; } });
      const child = (depth: number | null) => () =>
        new Agent({ name: "Child", provider: new MockLLM([{ toolCalls: [{ name: "probe" }] }, "c"]), prompt: "c", tools: [probe], maxDelegationDepth: depth });
      // loosening: two siblings ask for more than the parent allows
      const loose = child(5);
      const fanOut = tool({ name: "fan_out", description: "", parameters: z.object({}), execute: async () => { await loose().run("a"); await loose().run("b"); return "ok"; } });
      const parent = new Agent({ name: "Parent", provider: new MockLLM([{ toolCalls: [{ name: "fan_out" }] }, "done"]), prompt: "p", tools: [fanOut], maxDelegationDepth: 2 });
      const result = await parent.run("go");
      expect(frames).toMatchObject([{ level: 1, maxDepth: 2 }, { level: 1, maxDepth: 2 }]);
      const clamps = warn.mock.calls.map(([m]) => String(m)).filter((m) => m.includes("clamped"));
      expect(clamps).toEqual([`[dendrux] maxDelegationDepth=5 clamped to 2 for children of run ${result.runId}: a child cannot loosen its parent's limit.`]);
      // tightening is silent
      frames.length = 0;
      warn.mockClear();
      const { parent: strict } = parentWith(child(1), 3);
      await strict.run("go");
      expect(frames).toMatchObject([{ level: 1, maxDepth: 1 }]);
      expect(warn).not.toHaveBeenCalled();
      // null (unbounded) under a bounded parent is clamped too
      frames.length = 0;
      const { parent: bounded } = parentWith(child(null), 4);
      await bounded.run("go");
      expect(frames).toMatchObject([{ level: 1, maxDepth: 4 }]);
      expect(warn.mock.calls.map(([m]) => String(m))).toEqual([expect.stringContaining("maxDelegationDepth=null clamped to 4")]);
    } finally {
      warn.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
