/**
 * Streaming text: the answer arrives token by token. SingleCall, no tools.
 *
 *   npx tsx examples/05_streaming_text.ts          # ANTHROPIC_API_KEY=… for Claude
 */
import { Agent, SingleCall } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { MockLLM } from "dendrux/llm/mock";
import { online } from "./shared/setup.js";

const offline = new MockLLM([
  {
    text:
      "A black hole is a place where matter is packed so densely that its pull traps everything nearby, light included. " +
      "Most form when a very heavy star runs out of fuel and falls in on itself; the point of no return is called the event horizon.",
    usage: { inputTokens: 31, outputTokens: 44 },
  },
]);

await using agent = new Agent({
  provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offline,
  loop: new SingleCall(),
  prompt: "Answer briefly, in at most 100 words.",
});

await using stream = agent.stream("What is a black hole?");
console.log(`Run ID: ${stream.runId}\n`);
for await (const event of stream) {
  if (event.type === "text_delta") process.stdout.write(event.text);
  else if (event.type === "run_completed") console.log(`\n\n--- ${event.result.usage.totalTokens} tokens ---`);
}
