/**
 * Governance: an advisory token budget. Crossing 50 %, 75 % and 90 % of
 * `maxTokens`, and then the cap itself, records governance events (and tells
 * the notifier) — the run is not stopped: what to do about it is your call.
 * A low cap makes the warnings fire quickly here.
 *
 *   npx tsx examples/governance/03_budget.ts          # ANTHROPIC_API_KEY=… for Claude
 */
import { z } from "zod";
import { Agent, Budget, tool } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { ConsoleNotifier } from "dendrux/notifiers";
import { online, scriptedModel } from "../shared/setup.js";

const search = tool({ name: "search", description: "Search for information.", parameters: z.object({ query: z.string() }), execute: ({ query }) => `3 results for '${query}': result_1, result_2, result_3` });
const summarize = tool({ name: "summarize", description: "Summarise a text.", parameters: z.object({ text: z.string() }), execute: ({ text }) => `Summary of '${text.slice(0, 50)}...': a short overview.` });

const offline = scriptedModel([
  { toolCalls: [{ name: "search", params: { query: "history of artificial intelligence" } }], usage: { inputTokens: 700, outputTokens: 60 } },
  { toolCalls: [{ name: "summarize", params: { text: "Dartmouth 1956, expert systems, neural networks, deep learning" } }], usage: { inputTokens: 820, outputTokens: 80 } },
  {
    text: "AI began as a field at Dartmouth in 1956, went through expert systems and two 'winters', and took off again with neural networks and deep learning.",
    usage: { inputTokens: 900, outputTokens: 120 },
  },
]);

await using agent = new Agent({
  provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offline,
  prompt: "You are a research assistant. To research a topic, search for it first, then summarise what you found. Use both tools.",
  tools: [search, summarize],
  budget: new Budget({ maxTokens: 2_000 }),
});
const notifier = new ConsoleNotifier();
const result = await agent.run("Research the history of artificial intelligence and summarise it.", { notifier });
notifier.printSummary(result);
console.log(`\nAnswer: ${result.answer?.slice(0, 200)}...`);
console.log(`\nTotal tokens used: ${result.usage.totalTokens}`);
console.log("Budget cap: 2,000 (advisory: the run completed normally)");
