import { describe, expect, it } from "vitest";
import { BaseNotifier } from "./base-notifier.js";
import { CompositeNotifier } from "./composite-notifier.js";
import { ConsoleNotifier } from "./console-notifier.js";

describe("CompositeNotifier", () => {
  it("calls children in order and keeps going when one throws", async () => {
    const log: string[] = [];
    class A extends BaseNotifier {
      override async onRunStarted() {
        log.push("a");
        throw new Error("a broke");
      }
    }
    const composite = new CompositeNotifier([new A(), { onRunStarted: () => void log.push("b") }, {}]);
    await expect(composite.onRunStarted("r", { agentName: "x", agentModel: "m" })).resolves.toBeUndefined();
    expect(log).toEqual(["a", "b"]);
  });
});

describe("ConsoleNotifier", () => {
  it("renders steps, tools, tokens and the summary", () => {
    const lines: string[] = [];
    const n = new ConsoleNotifier({ write: (l) => lines.push(l) });
    const usage = { inputTokens: 1200, outputTokens: 34, totalTokens: 1234, costUsd: null, cacheReadInputTokens: 100, cacheCreationInputTokens: null, reasoningTokens: null };
    n.onRunStarted("01HXXXXXXXXXXXXXXXXXXXXXXX", { agentName: "Support", agentModel: "mock" });
    n.onLlmCallStarted("r", 1);
    n.onLlmCallCompleted("r", { text: "x", toolCalls: null, usage }, 1, { semanticMessages: [], semanticTools: null, durationMs: 1500 });
    const call = { id: "c1", name: "refund", params: { id: "o1" }, providerToolCallId: null };
    n.onToolStarted("r", call);
    n.onToolCompleted("r", call, { name: "refund", callId: "c1", payload: "{}", success: false, error: "Tool 'refund' has reached its maximum of 1 calls for this run." });
    n.onGovernanceEvent("r", "budget.threshold", 1, { fraction: 0.5, used: 50, max: 100 });
    n.onGovernanceEvent("r", "guardrail.detected", 1, { direction: "incoming", findings_count: 2, entities: ["EMAIL_ADDRESS"] });
    n.onGovernanceEvent("r", "mcp.connected", 0, { source_name: "files", tool_count: 3, tool_names: [] });
    n.printSummary({ runId: "r", status: "success", answer: "x", error: null, iterationCount: 1, usage, warnings: [] });
    // eslint-disable-next-line no-control-regex
    const text = lines.join("\n").replace(/\u001b\[[0-9;]*m/g, "");
    expect(text).toContain("▶ run XXXXXXXXXXXX Support · mock");
    expect(text).toContain("Step 1");
    expect(text).toContain("llm 1,234 tokens in 1.5s · 100 cached");
    expect(text).toContain('calling refund id="o1"');
    expect(text).toContain("limit   refund max calls reached");
    expect(text).toContain("50% used (50 / 100 tokens)");
    expect(text).toContain('guard 2 finding(s) incoming ["EMAIL_ADDRESS"]');
    expect(text).toContain("mcp files 3 tool(s)");
    expect(text).toContain("cache read   100 (8% hit ratio)");
  });

  it("prints each model answer, cut to maxTextLength, only with showLlmText", () => {
    const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2, costUsd: null, cacheReadInputTokens: null, cacheCreationInputTokens: null, reasoningTokens: null };
    const answer = { text: "The refund for order 1042\nwas issued today and should arrive within five business days.", toolCalls: null, usage };
    const render = (options: ConstructorParameters<typeof ConsoleNotifier>[0]) => {
      const lines: string[] = [];
      const n = new ConsoleNotifier({ ...options, write: (l) => lines.push(l) });
      n.onLlmCallCompleted("r", answer, 1, { semanticMessages: [], semanticTools: null, durationMs: 0 });
      n.onLlmCallCompleted("r", { text: null, toolCalls: null, usage }, 2, { semanticMessages: [], semanticTools: null, durationMs: 0 });
      // eslint-disable-next-line no-control-regex
      return lines.map((l) => l.replace(/\u001b\[[0-9;]*m/g, ""));
    };
    expect(render({})).toEqual(["    llm 2 tokens", "    llm 2 tokens"]);
    expect(render({ showLlmText: true, maxTextLength: 30 })).toEqual(["    llm 2 tokens", "    said The refund for order 1042 w...", "    llm 2 tokens"]);
    expect(render({ showLlmText: true })[1]).toBe("    said The refund for order 1042 was issued today and should arrive within five business days.");
    expect(() => new ConsoleNotifier({ maxTextLength: 0 })).toThrow("maxTextLength must be an integer ≥ 4, got 0.");
  });
});
