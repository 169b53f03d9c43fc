/**
 * Every notifier hook, through every flow: seven stages (server tools, deny,
 * approval, rejection, a client tool, a budget, PII guardrails), streamed and
 * not, each run through a CompositeNotifier of a ConsoleNotifier and a
 * tracker. The coverage table at the end is the regression check for the
 * notifier surface.
 *
 *   npx tsx examples/20_notifier_complete_cycle.ts          # ANTHROPIC_API_KEY=… for Claude
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CompositeNotifier, ConsoleNotifier } from "dendrux/notifiers";
import { STAGES, hookTracker, printCoverage } from "./shared/notifier-tour.js";

const tmp = mkdtempSync(join(tmpdir(), "dendrux-notifier-tour-"));
const databaseUrl = process.env.DENDRUX_DATABASE_URL ?? `sqlite:///${join(tmp, "tour.db")}`;
const tracker = hookTracker();
const notifier = new CompositeNotifier([new ConsoleNotifier(), tracker.notifier]);

console.log("Notifier complete cycle");
for (const stage of STAGES) {
  console.log(`\n=== ${stage.title} ===`);
  await stage.run(databaseUrl, notifier).catch((error: unknown) => console.log(`${stage.title} raised: ${String(error)}`));
}
printCoverage(tracker);
rmSync(tmp, { recursive: true, force: true });
