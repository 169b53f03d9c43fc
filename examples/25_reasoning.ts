/**
 * Reasoning (extended thinking) through the runtime, on Anthropic. Thinking is
 * configured on the provider; the rest is the ordinary API:
 *
 *   - per step:  `result.steps[i].meta.reasoning`
 *   - in total:  `result.usage.reasoningTokens`
 *   - streamed:  `reasoning_delta` events, before the answer
 *   - stored:    each LLM call's reasoning text and tokens (`RunStore.getLlmCalls`)
 *
 *   npx tsx examples/25_reasoning.ts          # ANTHROPIC_API_KEY=… for Claude
 */
import { z } from "zod";
import { Agent, Budget, tool } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { RunStore } from "dendrux/store";
import { DATABASE_URL, lastUserText, online, scriptedModel, toolResults } from "./shared/setup.js";

const POPULATION: Record<string, string> = { paris: "2.1 million", tokyo: "14 million" };

const getPopulation = tool({
  name: "get_population",
  description: "The population of a city.",
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => POPULATION[city.toLowerCase()] ?? "unknown",
});

/** Offline: a model that thinks out loud before each step. */
function offlineThinker() {
  return scriptedModel([
    (request) => {
      const cities = ["Paris", "Tokyo"].filter((city) => lastUserText(request).includes(city));
      return {
        reasoning: `I should not rely on memory for populations; I will ask the tool about ${cities.join(" and ")}.`,
        toolCalls: cities.map((city) => ({ name: "get_population", params: { city } })),
        usage: { inputTokens: 380, outputTokens: 140, reasoningTokens: 64 },
      };
    },
    (request) => ({
      reasoning: `The tool says Tokyo has ${toolResults(request).get_population ?? "unknown"} people; that is all I need.`,
      text: lastUserText(request).includes("Paris") ? "Tokyo, with about 14 million people against 2.1 million in Paris." : "About 14 million people live in Tokyo.",
      usage: { inputTokens: 520, outputTokens: 90, reasoningTokens: 38 },
    }),
  ]);
}

function reasoningAgent(): Agent {
  return new Agent({
    name: "ReasoningDemo",
    provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6", thinking: true, effort: "high" }) : offlineThinker(),
    prompt: "Look every city up with get_population before answering. Think it through first.",
    tools: [getPopulation],
    budget: new Budget({ maxTokens: 100_000 }),
    databaseUrl: DATABASE_URL,
  });
}

console.log("=== run(): tools + thinking + persistence ===");
let runId: string;
{
  await using agent = reasoningAgent();
  const result = await agent.run("Which city is bigger, Paris or Tokyo? Check both with the tool.");
  runId = result.runId;
  console.log(`answer: ${result.answer?.trim()}`);
  console.log(`iterations=${result.iterationCount}  reasoning_tokens=${result.usage.reasoningTokens}`);
  result.steps?.forEach((step, i) => {
    const thinking = step.meta?.reasoning;
    if (typeof thinking === "string") console.log(`  step ${i} thinking: ${thinking.slice(0, 100).trim()}...`);
  });
}

{
  await using store = RunStore.fromDatabaseUrl(DATABASE_URL);
  const run = await store.getRun(runId);
  const calls = await store.getLlmCalls(runId);
  console.log("\n=== stored (RunStore) ===");
  console.log(`run total_reasoning_tokens: ${run?.totalReasoningTokens}`);
  console.log(`per-call reasoning_tokens: ${JSON.stringify(calls.map((c) => c.reasoningTokens))}`);
  console.log(`per-call reasoning text present: ${JSON.stringify(calls.map((c) => Boolean(c.reasoning)))}`);
}

console.log("\n=== stream(): reasoning arrives before the answer ===");
{
  await using agent = reasoningAgent();
  let previous = "";
  for await (const event of agent.stream("How many people live in Tokyo? Use the tool.")) {
    if (event.type === "reasoning_delta" || event.type === "text_delta") {
      if (event.type !== previous) process.stdout.write(`\n${event.type === "reasoning_delta" ? "[thinking]" : "[answer]"} `);
      process.stdout.write(event.text);
    } else if (event.type === "tool_result") process.stdout.write(`\n[tool] ${event.toolCall.name} → ${event.toolResult.payload}`);
    else if (event.type === "run_completed") console.log(`\n\nreasoning_tokens=${event.result.usage.reasoningTokens}`);
    previous = event.type;
  }
}
