import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sweep } from "../../src/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { spawnChild } from "./support/children.js";
import { FAULT_SCALE, FAULT_SEED, prng, replayHint } from "./support/fault-config.js";
import { audit, readEffects } from "./support/invariants.js";

const RUNS = 100 * FAULT_SCALE;
const PROCESSES = 4;
const QUOTA = 25;

describeEachBackend(`SIGKILL at random points (seed ${FAULT_SEED}, ${RUNS} runs)`, (backend) => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await backend.create();
    dir = mkdtempSync(join(tmpdir(), "dendrux-faults-"));
  });
  afterAll(async () => {
    await database.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("after sweep(): no run left running, no orphan row, gap-free trails, every side effect traceable", async () => {
    const effectsFile = join(dir, "effects.log");
    const random = prng(FAULT_SEED ^ (backend.name === "sqlite" ? 0x51 : 0x96));
    const started = new Set<string>();
    const finished = new Set<string>();
    let kills = 0;
    let inFlightAtKill = 0;
    let children = 0;
    const worker = async (index: number): Promise<void> => {
      for (let round = 0; started.size < RUNS; round++) {
        if (round >= 50) throw new Error(`worker ${index} gave up after ${round} children; ${replayHint("SIGKILL")}`);
        const seed = (FAULT_SEED + index * 7919 + round * 104_729) >>> 0;
        // A random point in the child's progress (counted in stream events, so the machine's speed does not move it):
        // from its first run's first event to past its last (then the child ends on its own and is not killed).
        const killAtEvent = random.int(1, QUOTA * 12);
        children += 1;
        const child = spawnChild("kill-child.ts", [database.url, effectsFile, String(seed), String(QUOTA)]);
        const outcome = await Promise.race([
          child.waitForCount("EVENT ", killAtEvent).then(() => "kill" as const, () => "exited" as const),
          child.exited.then(() => "exited" as const),
        ]);
        if (outcome === "kill") {
          child.process.kill("SIGKILL");
          kills += 1;
        }
        await child.exited;
        const mine = child.lines.filter((l) => l.startsWith("STARTED ")).map((l) => l.split(" ")[1]!);
        const done = new Set(child.lines.filter((l) => l.startsWith("FINISHED ")).map((l) => l.split(" ")[1]!));
        for (const id of mine) started.add(id);
        for (const id of done) finished.add(id);
        if (outcome === "kill") inFlightAtKill += mine.filter((id) => !done.has(id)).length;
      }
    };
    await Promise.all(Array.from({ length: PROCESSES }, (_, i) => worker(i)));

    const before = await audit(database.url, [], { allowRunning: true });
    await sleep(20);
    const swept = await sweep({ databaseUrl: database.url, staleRunningMs: 1 });
    const effects = readEffects(effectsFile);
    const after = await audit(database.url, effects);
    const figures = {
      seed: FAULT_SEED,
      children,
      kills,
      runsStarted: started.size,
      runsFinished: finished.size,
      inFlightAtKill,
      runRows: after.runs,
      runningBeforeSweep: before.byStatus.running ?? 0,
      swept: swept.staleRunning.length,
      statusesAfter: after.byStatus,
      orphans: after.orphans,
      sideEffects: after.effects,
      sideEffectsWithoutToolRow: after.effectsWithoutToolRow,
      finishedWithoutTerminalEvent: after.finishedWithoutTerminalEvent,
    };
    console.info(`[faults] SIGKILL ${backend.name}: ${JSON.stringify(figures)}`);
    expect(after.violations, replayHint("SIGKILL")).toEqual([]);
    expect(after.byStatus.running ?? 0).toBe(0);
    expect(swept.staleRunning.length).toBe(before.byStatus.running ?? 0);
    expect(started.size).toBeGreaterThanOrEqual(RUNS);
    expect(kills).toBeGreaterThan(0);
    expect(inFlightAtKill, "kills landed mid-run").toBeGreaterThan(0);
  }, 300_000);
});
