/**
 * Hello world: an agent with one tool, run offline against the scripted MockLLM.
 *
 *   npx tsx examples/01_hello_world.ts
 */
import { z } from "zod";
import { Agent, tool } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { MockLLM } from "dendrux/llm/mock";
import { ConsoleNotifier } from "dendrux/notifiers";

const add = tool({
  name: "add",
  description: "Add two numbers.",
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

// Offline by default; with ANTHROPIC_API_KEY set (and DENDRUX_OFFLINE unset) Claude answers instead.
const offline = new MockLLM([
  { text: "Let me add those.", toolCalls: [{ name: "add", params: { a: 15, b: 27 } }], usage: { inputTokens: 120, outputTokens: 18 } },
  { text: "15 + 27 = 42.", usage: { inputTokens: 160, outputTokens: 9 } },
]);

const provider = process.env.ANTHROPIC_API_KEY && !process.env.DENDRUX_OFFLINE ? new AnthropicProvider({ model: "claude-haiku-4-5" }) : offline;
await using agent = new Agent({ name: "Calculator", provider, prompt: "You add numbers with the add tool.", tools: [add] });
const console_ = new ConsoleNotifier();
const result = await agent.run("What is 15 + 27?", { notifier: console_ });
console_.printSummary(result);
console.log(`\nanswer: ${result.answer}`);
