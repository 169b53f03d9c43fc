/** Extended thinking with a visible summary.   ANTHROPIC_API_KEY=… npx tsx examples/providers/reasoning.ts */
import { Agent } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { needKey } from "./need-key.js";

needKey("ANTHROPIC_API_KEY", "reasoning");
await using agent = new Agent({ provider: new AnthropicProvider({ model: "claude-sonnet-4-6", thinking: true, effort: "medium" }), prompt: "Think before you answer." });
for await (const event of agent.stream("How many r's are in 'strawberry'?")) {
  if (event.type === "reasoning_delta") process.stdout.write(`\x1b[2m${event.text}\x1b[0m`);
  if (event.type === "text_delta") process.stdout.write(event.text);
}
console.log();
