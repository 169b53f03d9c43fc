/**
 * The main job: a run pauses for approval in one process and is resumed by
 * id in another, on an embedded SQLite file; then the audit trail is read back.
 *
 *   npm run quickstart
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RunStore } from "dendrux/store";

const here = dirname(fileURLToPath(import.meta.url));
const databaseUrl = process.argv[2] ?? `sqlite:///${join(mkdtempSync(join(tmpdir(), "dendrux-quickstart-")), "quickstart.db")}`;

function node(script: string, ...args: string[]): { runId: string; status: string; [k: string]: unknown } {
  const out = execFileSync(process.execPath, ["--import", "tsx", join(here, script), databaseUrl, ...args], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

console.log(`database: ${databaseUrl}\n`);
const started = node("start.ts");
console.log(`process 1: run ${started.runId} → ${started.status}, waiting on ${JSON.stringify(started.pending)}`);
const resumed = node("resume.ts", started.runId);
console.log(`process 2: approved → ${resumed.status}: ${resumed.answer}\n`);

await using store = RunStore.fromDatabaseUrl(databaseUrl);
const run = await store.getRun(started.runId);
console.log(`run ${run!.runId}  status=${run!.status}  iterations=${run!.iterationCount}  tokens=${run!.totalInputTokens}+${run!.totalOutputTokens}`);
console.log("event timeline:");
for (const event of await store.getEvents(started.runId)) {
  const detail = event.eventType === "tool.completed" ? ` ${(event.data as { tool_name: string }).tool_name}` : "";
  console.log(`  ${String(event.sequenceIndex).padStart(2)}  ${event.eventType}${detail}`);
}
