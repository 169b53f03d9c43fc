/**
 * Approves a paused run of the "Thinker" agent in a fresh process and prints
 * the result as one JSON line. argv: databaseUrl, fake vendor URL, runId.
 */
import { Agent } from "../../src/index.js";
import { AnthropicProvider } from "../../src/llm/anthropic/index.js";
import { add } from "./tools.js";

const [databaseUrl, vendorUrl, runId] = process.argv.slice(2) as [string, string, string];
const agent = new Agent({
  name: "Thinker",
  provider: new AnthropicProvider({ model: "claude-test", apiKey: "sk-ant-test", baseURL: vendorUrl, thinking: true, maxRetries: 0 }),
  prompt: "You add numbers.",
  tools: [add],
  requireApproval: ["add"],
  databaseUrl,
});
const result = await agent.submitApproval(runId, { approved: true });
await agent.close();
process.stdout.write(`${JSON.stringify({ runId: result.runId, status: result.status, answer: result.answer })}\n`);
