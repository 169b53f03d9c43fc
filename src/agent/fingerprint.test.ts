import { describe, expect, it } from "vitest";
import { ChatMessage } from "../agent/chat-message.js";
import { ContextBlock } from "../agent/context-block.js";
import { computeFingerprint } from "./fingerprint.js";

describe("computeFingerprint", () => {
  it("matches the values the reference computes", () => {
    const base = { outputTypeName: null, history: undefined, context: undefined };
    expect(computeFingerprint({ ...base, agentName: "Agent", userInput: "hello" })).toBe(
      "ff21389feaeababf1c41a3ab39e80b7d8b9624f8018b2e8666be116beb7b0798",
    );
    expect(computeFingerprint({ ...base, agentName: "Agent", userInput: "héllo", outputTypeName: "m.Out" })).toBe(
      "467b2e565c0475cd73b29c3468c52ce347ca8b357fbf7c58f2b0f278e833e04a",
    );
    expect(
      computeFingerprint({
        agentName: "Agent",
        userInput: "x",
        outputTypeName: null,
        history: [ChatMessage.user("a"), ChatMessage.assistant("b")],
        context: [new ContextBlock("doc", { source: "s1" })],
      }),
    ).toBe("90084bc305b799e90e639aa530200a59f787c2b3eae97b1e0ab79233a5508c72");
  });

  it("hashes empty history like no history", () => {
    const base = { agentName: "A", userInput: "q", outputTypeName: null, context: undefined };
    expect(computeFingerprint({ ...base, history: [] })).toBe(computeFingerprint({ ...base, history: undefined }));
  });
});
