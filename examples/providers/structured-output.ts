/** Structured output validated by zod.   ANTHROPIC_API_KEY=… npx tsx examples/providers/structured-output.ts */
import { z } from "zod";
import { Agent, SingleCall } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { needKey } from "./need-key.js";

needKey("ANTHROPIC_API_KEY", "structured-output");
const Ticket = z.object({ category: z.enum(["billing", "shipping", "other"]), urgent: z.boolean(), summary: z.string() }).describe("Ticket");
await using agent = new Agent({ provider: new AnthropicProvider({ model: "claude-haiku-4-5" }), prompt: "Triage support tickets.", loop: new SingleCall(), outputType: Ticket });
const result = await agent.run("I was charged twice for order 1042 and need the money back today!");
console.log(result.output);

// The same, streamed: partial objects as the model writes them, then the validated value.
for await (const event of agent.stream("The parcel is three weeks late, where is it?")) {
  if (event.type === "partial_output") console.log("partial:", event.output);
  if (event.type === "run_completed") console.log("validated:", event.result.output);
}
