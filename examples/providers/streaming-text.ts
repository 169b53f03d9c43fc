/** Streams an answer token by token from Claude.   ANTHROPIC_API_KEY=… npx tsx examples/providers/streaming-text.ts */
import { Agent } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { needKey } from "./need-key.js";

needKey("ANTHROPIC_API_KEY", "streaming-text");
await using agent = new Agent({ provider: new AnthropicProvider({ model: "claude-haiku-4-5" }), prompt: "You are concise." });
for await (const event of agent.stream("Explain prompt caching in two sentences.")) {
  if (event.type === "text_delta") process.stdout.write(event.text);
  if (event.type === "run_completed") console.log(`\n\n${event.result.usage.totalTokens} tokens`);
}
