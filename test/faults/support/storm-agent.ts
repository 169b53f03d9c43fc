/** The agent of the submit storm: `refund` needs approval and records each execution in a side-effect file. */
import { appendFileSync } from "node:fs";
import { z } from "zod";
import { Agent, tool } from "../../../src/index.js";
import type { LLMRequest } from "../../../src/index.js";
import { MockLLM } from "../../../src/llm/mock/index.js";

const model = (request: LLMRequest) =>
  request.messages.at(-1)!.role === "user" ? { toolCalls: [{ name: "refund", params: { orderId: "o-1" } }] } : "refunded";

export function stormAgent(databaseUrl: string, effectsFile: string, calls = 200): Agent {
  const refund = tool({
    name: "refund",
    description: "Refunds an order.",
    parameters: z.object({ orderId: z.string() }),
    execute: ({ orderId }, ctx) => {
      appendFileSync(effectsFile, `${ctx.runId} ${ctx.callId}\n`);
      return { orderId, refunded: true };
    },
  });
  return new Agent({
    name: "Storm",
    provider: new MockLLM(Array.from({ length: calls }, () => model)),
    prompt: "p",
    tools: [refund],
    requireApproval: ["refund"],
    databaseUrl,
  });
}
