/**
 * A research agent made of agents: the orchestrator's tools run a search
 * specialist and a reading specialist, each a full agent with its own prompt,
 * tools and loop. Tool limits (`maxCallsPerRun`, `timeoutSeconds`) are enforced
 * by the runtime; every run, sub-runs included, is stored and linked to its
 * parent.
 *
 *   npx tsx examples/04_research_agent/main.ts "solid-state batteries"
 *   ANTHROPIC_API_KEY=… FIRECRAWL_API_KEY=… npx tsx examples/04_research_agent/main.ts "…"   # the real web
 *   npx tsx examples/04_research_agent/stream.ts "…"                                         # the same, streamed
 */
import { ConsoleNotifier } from "dendrux/notifiers";
import { RunStore } from "dendrux/store";
import { DATABASE_URL } from "../shared/setup.js";
import { createOrchestrator } from "./orchestrator.js";

const topic = process.argv.slice(2).join(" ") || "solid-state batteries";
console.log(`Researching: ${topic}\n`);

await using agent = createOrchestrator();
const notifier = new ConsoleNotifier();
const result = await agent.run(`Research this topic thoroughly: ${topic}`, { notifier });
notifier.printSummary(result);
console.log(`\n${result.answer}`);

// The delegation tree, read back: every sub-run points at the run whose tool started it.
await using store = RunStore.fromDatabaseUrl(DATABASE_URL);
const children = await store.listRuns({ parentRunId: result.runId });
console.log(`\nRun ${result.runId} (${result.status}) delegated ${children.length} sub-runs:`);
for (const child of [...children].reverse()) console.log(`  └ ${child.agentName.padEnd(12)} ${child.runId}  ${child.status}  level ${child.delegationLevel}`);
