/**
 * Prompt caching across the iterations of one run. Each ReAct iteration sends
 * the previous request plus one tool round, byte for byte, and the Anthropic
 * adapter marks cache breakpoints — so from the second call on, most input
 * tokens are read from the cache. The system prompt is long on purpose:
 * Anthropic caches nothing below its per-model minimum (2,048 tokens for
 * Sonnet).
 *
 *   npx tsx examples/15_cache_efficiency.ts          # ANTHROPIC_API_KEY=… for Claude
 */
import { Agent } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { ConsoleNotifier } from "dendrux/notifiers";
import { ANALYST_PROMPT, ANALYST_QUESTION, ANALYST_TOOLS, offlineAnalystModel } from "./shared/portfolio-analyst.js";
import { online } from "./shared/setup.js";

await using agent = new Agent({
  name: "PortfolioAnalyst",
  provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offlineAnalystModel("write-then-read"),
  prompt: ANALYST_PROMPT,
  tools: ANALYST_TOOLS,
  maxIterations: 10,
});
const notifier = new ConsoleNotifier({ showParams: true });
const result = await agent.run(ANALYST_QUESTION, { notifier });
notifier.printSummary(result);
console.log(`\ncache: ${result.usage.cacheCreationInputTokens ?? 0} tokens written, ${result.usage.cacheReadInputTokens ?? 0} read`);
console.log(`\nFinal answer:\n${result.answer}`);
