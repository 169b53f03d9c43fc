import { describe, expect, it } from "vitest";
import { emptyUsage } from "../types/usage.js";
import { NativeToolCalling } from "./native-tool-calling.js";

const strategy = new NativeToolCalling();

describe("NativeToolCalling", () => {
  it("puts the system prompt first and offers no tools when there are none", () => {
    const built = strategy.buildMessages({ systemPrompt: "sys", history: [{ role: "user", content: "hi" }], toolDefs: [] });
    expect(built.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(built.tools).toBeNull();
  });

  it("never finishes on text that accompanies tool calls", () => {
    const call = { id: "01", name: "add", params: {}, providerToolCallId: null };
    const step = strategy.parseResponse({ text: "let me add", toolCalls: [call], usage: emptyUsage() });
    expect(step.action).toEqual({ type: "tool_calls", calls: [call] });
    expect(step.reasoning).toBe("let me add");
  });

  it("finishes with an empty answer when the model says nothing", () => {
    expect(strategy.parseResponse({ text: null, toolCalls: null, usage: emptyUsage() }).action).toEqual({ type: "finish", answer: "" });
  });

  it("flags failed tool results as errors", () => {
    const msg = strategy.formatToolResult({ name: "add", callId: "c1", payload: '{"error": "x"}', success: false });
    expect(msg).toMatchObject({ role: "tool", name: "add", callId: "c1", meta: { is_error: true } });
  });
});
