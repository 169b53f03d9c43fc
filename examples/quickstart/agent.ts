/**
 * The quickstart's agent: a support agent that looks orders up freely but
 * needs a human's approval before it refunds one.
 */
import { z } from "zod";
import { Agent, tool, type LLMProvider, type LLMRequest } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { MockLLM } from "dendrux/llm/mock";

export const lookupOrder = tool({
  name: "lookup_order",
  description: "Look an order up by id.",
  parameters: z.object({ orderId: z.string() }),
  execute: ({ orderId }) => ({ orderId, total: 49.9, status: "delivered", damaged: true }),
});

export const refundOrder = tool({
  name: "refund_order",
  description: "Refund an order in full.",
  parameters: z.object({ orderId: z.string(), reason: z.string() }),
  execute: ({ orderId }) => ({ orderId, refunded: 49.9 }),
});

/**
 * Offline stand-in for a model: looks at the conversation and answers like a
 * model would, so each process can continue wherever the run is.
 */
function offlineModel(): LLMProvider {
  const decide = (request: LLMRequest) => {
    const last = request.messages.at(-1)!;
    if (last.role === "user") {
      return {
        text: "Sorry about that, I'll refund it.",
        toolCalls: [{ name: "refund_order", params: { orderId: "1042", reason: "arrived broken" } }],
        usage: { inputTokens: 412, outputTokens: 58 },
      };
    }
    return { text: "Order 1042 has been refunded (49.90). Sorry it arrived broken!", usage: { inputTokens: 530, outputTokens: 21 } };
  };
  return new MockLLM(Array.from({ length: 10 }, () => decide), { model: "offline-mock" });
}

export function createAgent(databaseUrl: string): Agent {
  return new Agent({
    name: "Support",
    // With ANTHROPIC_API_KEY set (and DENDRUX_OFFLINE unset) the real model answers.
    provider: process.env.ANTHROPIC_API_KEY && !process.env.DENDRUX_OFFLINE ? new AnthropicProvider({ model: "claude-haiku-4-5" }) : offlineModel(),
    prompt: "You are a support agent. Refunds need a human's approval.",
    tools: [lookupOrder, refundOrder],
    requireApproval: ["refund_order"],
    databaseUrl,
  });
}
