/**
 * Process 2: approves the pending refund of a paused run, by run id, and runs
 * it to completion.
 *
 *   npx tsx examples/quickstart/resume.ts sqlite:///./quickstart.db <runId>
 */
import { createAgent } from "./agent.js";

const [databaseUrl = "sqlite:///./quickstart.db", runId] = process.argv.slice(2);
if (!runId) throw new Error("usage: resume.ts <databaseUrl> <runId>");
await using agent = createAgent(databaseUrl);
const result = await agent.submitApproval(runId, { approved: true });
console.log(JSON.stringify({ runId: result.runId, status: result.status, answer: result.answer }));
