import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Agent } from "../../src/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { spawnChild } from "./support/children.js";
import { FAULT_SCALE, FAULT_SEED, replayHint } from "./support/fault-config.js";
import { audit, readEffects } from "./support/invariants.js";
import { stormAgent } from "./support/storm-agent.js";

const PROCESSES = 4;
const SUBMITS_PER_PROCESS = 25;
const ROUNDS = FAULT_SCALE;
/** What a losing submit may throw: someone else claimed the run, it is running, or it already finished. */
const LOSING_ERRORS = new Set(["RunAlreadyClaimedError", "RunNotPausedError", "RunAlreadyTerminalError"]);

describeEachBackend(`${PROCESSES * SUBMITS_PER_PROCESS} concurrent submits from ${PROCESSES} processes (seed ${FAULT_SEED}, ${ROUNDS} round(s))`, (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  let starter: Agent;
  let dir: string;
  beforeAll(async () => {
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
    dir = mkdtempSync(join(tmpdir(), "dendrux-storm-"));
    starter = stormAgent(database.url, join(dir, "effects.log"));
  });
  afterAll(async () => {
    await starter.close();
    await store.close();
    await database.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("exactly one submit wins, the tool's side effect happens once, the trail has one resume and one end", async () => {
    const effectsFile = join(dir, "effects.log");
    for (let round = 0; round < ROUNDS; round++) {
      const paused = await starter.run("refund order o-1");
      expect(paused.status).toBe("waiting_approval");
      const children = Array.from({ length: PROCESSES }, () => spawnChild("submit-child.ts", [database.url, paused.runId, effectsFile, String(SUBMITS_PER_PROCESS)]));
      await Promise.all(children.map((c) => c.waitFor(/^READY$/)));
      for (const c of children) c.process.stdin.end("GO\n");
      const results = await Promise.all(children.map(async (c) => JSON.parse((await c.waitFor(/^RESULT (.*)$/))[1]!) as { winners: string[]; errors: Record<string, number> }));
      await Promise.all(children.map((c) => c.exited));

      const winners = results.flatMap((r) => r.winners);
      const errors: Record<string, number> = {};
      for (const r of results) for (const [name, n] of Object.entries(r.errors)) errors[name] = (errors[name] ?? 0) + n;
      console.info(`[faults] submit storm ${backend.name} round ${round}: ${JSON.stringify({ seed: FAULT_SEED, submits: PROCESSES * SUBMITS_PER_PROCESS, winners: winners.length, errors })}`);
      expect(winners, replayHint("submit storm")).toEqual(["success"]);
      expect(Object.keys(errors).filter((name) => !LOSING_ERRORS.has(name))).toEqual([]);
      expect(Object.values(errors).reduce((a, b) => a + b, 0)).toBe(PROCESSES * SUBMITS_PER_PROCESS - 1);

      const effects = readEffects(effectsFile).filter((e) => e.runId === paused.runId);
      expect(effects).toHaveLength(1);
      expect(effects[0]!.callId).toBe(paused.pendingToolCalls![0]!.id);
      expect((await store.getToolInvocations(paused.runId)).map((t) => [t.toolCallId, t.success])).toEqual([[paused.pendingToolCalls![0]!.id, true]]);
      const types = (await store.getEvents(paused.runId)).map((e) => e.eventType);
      expect(types.filter((t) => t === "run.resumed")).toHaveLength(1);
      expect(types.at(-1)).toBe("run.completed");
      expect((await store.getRun(paused.runId))!.status).toBe("success");
    }
    const report = await audit(database.url, readEffects(effectsFile));
    expect(report.violations).toEqual([]);
  }, 120_000);
});
