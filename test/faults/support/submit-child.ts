/**
 * Opens the database, prints `READY`, waits for `GO` on stdin, then submits the
 * same approval `count` times at once and prints `RESULT <json>` (winners and
 * error class names). Arguments: databaseUrl runId effectsFile count.
 */
import { createInterface } from "node:readline";
import { RunNotFoundError } from "../../../src/index.js";
import { stormAgent } from "./storm-agent.js";

const [databaseUrl, runId, effectsFile, countText] = process.argv.slice(2);
const agent = stormAgent(databaseUrl!, effectsFile!);
// Opens the connection before the start line, so every submit races on an open database.
await agent.submitApproval("01ZZZZZZZZZZZZZZZZZZZZZZZZ", { approved: true }).catch((error: unknown) => {
  if (!(error instanceof RunNotFoundError)) throw error;
});
process.stdout.write("READY\n");
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line === "GO") break;
lines.close();
process.stdin.destroy();
const outcomes = await Promise.allSettled(Array.from({ length: Number(countText) }, () => agent.submitApproval(runId!, { approved: true })));
const errors: Record<string, number> = {};
for (const o of outcomes) if (o.status === "rejected") errors[(o.reason as Error).name] = (errors[(o.reason as Error).name] ?? 0) + 1;
const winners = outcomes.filter((o) => o.status === "fulfilled").map((o) => (o as PromiseFulfilledResult<{ status: string }>).value.status);
await agent.close();
process.stdout.write(`RESULT ${JSON.stringify({ winners, errors })}\n`);
