/**
 * The research agent, streamed: the orchestrator's text and tool events as
 * they happen (the specialists run inside its tools).
 *
 *   npx tsx examples/04_research_agent/stream.ts "solid-state batteries"
 */
import { createOrchestrator } from "./orchestrator.js";

const topic = process.argv.slice(2).join(" ") || "solid-state batteries";
console.log(`Researching (streaming): ${topic}\n`);

await using agent = createOrchestrator();
for await (const event of agent.stream(`Research this topic thoroughly: ${topic}`)) {
  if (event.type === "text_delta") process.stdout.write(event.text);
  else if (event.type === "tool_use_start") console.log(`\n  >> ${event.toolName}`);
  else if (event.type === "tool_result") console.log(`  << ${event.toolCall.name}: ${event.toolResult.success === false ? "failed" : `${event.toolResult.payload.length} characters`}`);
  else if (event.type === "run_completed") console.log(`\n\n--- ${event.result.status}: ${event.result.iterationCount} iterations, ${event.result.usage.totalTokens} tokens ---`);
  else if (event.type === "run_error") console.log(`\n[error] ${event.error}`);
}
