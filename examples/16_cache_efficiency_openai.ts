/**
 * Prompt caching on OpenAI, through Chat Completions and the Responses API.
 * OpenAI caches prefixes of 1,024 tokens or more by itself (no markers) and
 * reports only cache reads; dendrux sends a stable `prompt_cache_key`
 * ("dendrux:<agent>:<model>") so every call of the agent lands on the same
 * cache.
 *
 *   npx tsx examples/16_cache_efficiency_openai.ts          # OPENAI_API_KEY=… for gpt-4o
 */
import { Agent, type LLMProvider } from "dendrux";
import { OpenAIProvider } from "dendrux/llm/openai";
import { OpenAIResponsesProvider } from "dendrux/llm/openai-responses";
import { ConsoleNotifier } from "dendrux/notifiers";
import { ANALYST_PROMPT, ANALYST_QUESTION, ANALYST_TOOLS, offlineAnalystModel } from "./shared/portfolio-analyst.js";
import { online } from "./shared/setup.js";

async function runWith(provider: LLMProvider, label: string): Promise<void> {
  console.log(`\n=== ${label} ===`);
  await using agent = new Agent({ name: "PortfolioAnalyst", provider, prompt: ANALYST_PROMPT, tools: ANALYST_TOOLS, maxIterations: 10 });
  const notifier = new ConsoleNotifier({ showParams: true });
  const result = await agent.run(ANALYST_QUESTION, { notifier });
  notifier.printSummary(result);
}

const real = online("OPENAI_API_KEY");
// Chat Completions also serves OpenAI-compatible servers (vLLM, Ollama, Groq…); the cache key is sent only to OpenAI itself.
await runWith(real ? new OpenAIProvider({ model: "gpt-4o" }) : offlineAnalystModel("read-only"), "OpenAI Chat Completions (gpt-4o)");
await runWith(real ? new OpenAIResponsesProvider({ model: "gpt-4o" }) : offlineAnalystModel("read-only"), "OpenAI Responses API (gpt-4o)");
