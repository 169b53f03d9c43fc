/**
 * The README's quickstart, kept compiling and running.
 *
 *   npx tsx examples/readme-quickstart.ts [sqlite:///./app.db]
 */
import { z } from "zod";
import { Agent, tool } from "dendrux";
import { MockLLM } from "dendrux/llm/mock";

const refund = tool({
  name: "refund_order",
  description: "Refund an order in full.",
  parameters: z.object({ orderId: z.string() }),
  execute: ({ orderId }) => ({ orderId, refunded: true }),
});

await using agent = new Agent({
  name: "Support",
  provider: new MockLLM([{ toolCalls: [{ name: "refund_order", params: { orderId: "1042" } }] }, "Refunded!"]),
  prompt: "You are a support agent.",
  tools: [refund],
  requireApproval: ["refund_order"],
  databaseUrl: process.argv[2] ?? "sqlite:///./app.db",
});
const paused = await agent.run("Refund order 1042, it arrived broken."); // status: "waiting_approval"
// …later, in any process with the same database and agent definition:
const done = await agent.submitApproval(paused.runId, { approved: true }); // status: "success"
console.log(paused.status, done.status, done.answer);
