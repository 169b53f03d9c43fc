/**
 * A persistent agent: the run, every message, LLM call and tool call are
 * written to SQLite as they happen, then read back with RunStore.
 *
 *   npx tsx examples/02_persistent_agent.ts
 *   npx dendrux runs                        # then: npx dendrux traces <run id> --tools
 */
import { Agent } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { RunStore } from "dendrux/store";
import { calculatePortfolioValue, lookupPrice } from "./shared/portfolio.js";
import { DATABASE_URL, online, scriptedModel } from "./shared/setup.js";

const offline = scriptedModel([
  {
    text: "Let me look up each price first.",
    toolCalls: ["AAPL", "GOOGL", "MSFT"].map((ticker) => ({ name: "lookup_price", params: { ticker } })),
    usage: { inputTokens: 310, outputTokens: 96 },
  },
  { toolCalls: [{ name: "calculate_portfolio_value", params: { holdings: "AAPL:10,GOOGL:5,MSFT:20" } }], usage: { inputTokens: 470, outputTokens: 41 } },
  { text: "Your portfolio is worth $12,070.50: AAPL $2,275.00, GOOGL $891.50 and MSFT $8,904.00.", usage: { inputTokens: 590, outputTokens: 38 } },
]);

await using agent = new Agent({
  name: "StockAnalyst",
  provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offline,
  databaseUrl: DATABASE_URL,
  prompt:
    "You help investors with their holdings. Get every price with lookup_price before any arithmetic, " +
    "then total the holdings with calculate_portfolio_value.",
  tools: [lookupPrice, calculatePortfolioValue],
});

console.log("Persistent Agent Demo\n");
const result = await agent.run("I own 10 AAPL, 5 GOOGL and 20 MSFT. What is it all worth today?");
console.log(`Answer: ${result.answer}`);
console.log(`Completed in ${result.iterationCount} iterations, ${result.usage.totalTokens} tokens`);
console.log(`Run ID: ${result.runId}`);

// Everything the run did is in the database, for any process to read.
await using store = RunStore.fromDatabaseUrl(DATABASE_URL);
const run = await store.getRun(result.runId);
const tools = await store.getToolInvocations(result.runId);
const traces = await store.getTraces(result.runId);
console.log(`\nStored: status=${run?.status}, ${traces.length} messages, ${(await store.getLlmCalls(result.runId)).length} LLM calls`);
for (const call of tools) console.log(`  tool ${call.toolName}(${JSON.stringify(call.params)}) → ${String(call.result).replaceAll("\n", " | ")}`);
console.log(`\nInspect persisted data with:\n  npx dendrux runs\n  npx dendrux traces ${result.runId} --tools`);
