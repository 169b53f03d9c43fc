import { describe, expect, it } from "vitest";
import { historyFromTraces } from "./retry.js";

describe("historyFromTraces", () => {
  it("keeps an assistant message's own meta (a provider's thinking blocks), not the trace's bookkeeping", () => {
    const blocks = [{ type: "thinking", thinking: "plan", signature: "sig==" }];
    const history = historyFromTraces([
      { role: "user", content: "go", meta: { iteration: 0 } },
      {
        role: "assistant",
        content: "",
        meta: { iteration: 1, anthropic_thinking_blocks: blocks, tool_calls: [{ id: "c1", name: "add", params: { a: 1 }, provider_tool_call_id: "toolu_1" }] },
      },
      { role: "tool", content: "2", meta: { iteration: 1, call_id: "c1", tool_name: "add" } },
    ]);
    expect(history).toEqual([
      { role: "user", content: "go" },
      { role: "assistant", content: "", toolCalls: [{ id: "c1", name: "add", params: { a: 1 }, providerToolCallId: "toolu_1" }], meta: { anthropic_thinking_blocks: blocks } },
      { role: "tool", content: "2", name: "add", callId: "c1" },
    ]);
  });
});
