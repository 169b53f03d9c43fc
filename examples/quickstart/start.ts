/**
 * Process 1: starts a run that pauses for approval, prints its id, exits.
 *
 *   npx tsx examples/quickstart/start.ts sqlite:///./quickstart.db
 */
import { createAgent } from "./agent.js";

const databaseUrl = process.argv[2] ?? "sqlite:///./quickstart.db";
await using agent = createAgent(databaseUrl);
const result = await agent.run("Please refund order 1042, it arrived broken.", { metadata: { thread_id: "quickstart", user_id: "u_1" } });
console.log(JSON.stringify({ runId: result.runId, status: result.status, pending: result.pendingToolCalls?.map((c) => c.name) }));
