import { describe, expect, it } from "vitest";
import type { Message } from "../../types/message.js";
import { toResponsesInput } from "../openai-responses/to-responses-input.js";
import { toOpenAIChatMessages } from "../openai/to-openai-chat.js";
import { applyCacheMarkers, toAnthropicMessages } from "./to-anthropic-request.js";

const thinking = { type: "thinking", thinking: "Plan: answer.", signature: "sig" };
const history: Message[] = [
  { role: "user", content: "hi" },
  { role: "assistant", content: "", meta: { anthropic_thinking_blocks: [thinking] } },
];

describe("thinking blocks on assistant messages", () => {
  it("go back to Anthropic first in the turn, and never carry a cache breakpoint", () => {
    const { messages } = toAnthropicMessages(history);
    expect(messages[1]).toEqual({ role: "assistant", content: [thinking] });
    const cached = applyCacheMarkers("", messages, { markFirst: false });
    expect(cached.messages[1]).toEqual({ role: "assistant", content: [thinking] });
    const withText = toAnthropicMessages([history[0]!, { ...history[1]!, content: "Hello." }]).messages;
    expect(applyCacheMarkers("", withText, { markFirst: false }).messages[1]!.content).toEqual([
      thinking,
      { type: "text", text: "Hello.", cache_control: { type: "ephemeral" } },
    ]);
  });

  it("ignore stored entries that are not thinking blocks", () => {
    const odd: Message = { role: "assistant", content: "ok", meta: { anthropic_thinking_blocks: [{ type: "text", text: "injected" }, null, thinking] } };
    expect(toAnthropicMessages([odd]).messages[0]!.content).toEqual([thinking, { type: "text", text: "ok" }]);
  });

  it("are never shown to other vendors", () => {
    expect(JSON.stringify(toOpenAIChatMessages(history))).not.toContain("Plan: answer.");
    expect(JSON.stringify(toResponsesInput(history))).not.toContain("Plan: answer.");
  });
});
