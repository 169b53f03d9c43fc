import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DendruxError, sweep } from "../../src/index.js";
import type { Agent } from "../../src/index.js";
import { BACKENDS, withDatabase, type TestDatabase } from "../support/backends.js";
import { describeRequiring } from "../support/requirements.js";
import { postgresAdapter } from "../../src/store/dialect/postgres/postgres-dialect.js";
import { spawnChild } from "./support/children.js";
import { faultAgent, planInput } from "./support/fault-agent.js";
import { FAULT_SCALE, FAULT_SEED, prng, replayHint } from "./support/fault-config.js";
import { audit, readEffects } from "./support/invariants.js";

const RUNS = 50 * FAULT_SCALE;
const CONCURRENCY = 10;
const SEQUENCE_GAP = /: event sequence \[.*\] is not 0\.\.n-1$/;
const postgres = BACKENDS.find((b) => b.name === "postgres")!;

interface Outcome {
  readonly runId: string | null;
  readonly status: string | null;
  readonly error: string | null;
}

// Terminating a server backend is a PostgreSQL fault: SQLite has no connection to lose (its lock and crash
// faults are covered by the durability tests and the SIGKILL storm).
describeRequiring(postgres.skipReason, `PostgreSQL backends terminated at random statements (seed ${FAULT_SEED}, ${RUNS} runs) [postgres]`, () => {
  let database: TestDatabase;
  let dir: string;
  let agent: Agent;
  beforeAll(async () => {
    database = await postgres.create();
    dir = mkdtempSync(join(tmpdir(), "dendrux-pgkill-"));
    agent = faultAgent({ databaseUrl: database.url, effectsFile: join(dir, "effects.log") });
  });
  afterAll(async () => {
    await agent.close();
    await database.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("every run completes or fails cleanly: one terminal state, gap-free trail, no half-written call", async () => {
    const random = prng(FAULT_SEED ^ 0x5eed);
    const plans = Array.from({ length: RUNS }, () => ({ steps: random.int(1, 4), width: random.int(1, 3), llmDelayMs: random.int(0, 10), toolDelayMs: random.int(0, 15) }));
    const dbName = new URL(database.url).pathname.slice(1);
    let stop = false;
    let terminated = 0;
    const { default: pg } = await import("pg");
    const admin = new pg.Client({ connectionString: process.env.DENDRUX_TEST_POSTGRES_URL });
    await admin.connect();
    const terminator = (async () => {
      while (!stop) {
        await sleep(random.int(5, 60));
        // A backend in the middle of a statement when one is running, else any connection of the pool.
        const { rows } = await admin.query<{ pid: number; state: string }>(
          "SELECT pid, state FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() ORDER BY pid",
          [dbName],
        );
        const active = rows.filter((r) => r.state === "active" || r.state === "idle in transaction");
        const pool = active.length > 0 ? active : rows;
        if (pool.length === 0) continue;
        const victim = random.pick(pool);
        const { rows: done } = await admin.query<{ ok: boolean }>("SELECT pg_terminate_backend($1) AS ok", [victim.pid]);
        if (done[0]?.ok) terminated += 1;
      }
    })();

    const outcomes: Outcome[] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < plans.length) {
        const plan = plans[next++]!;
        try {
          const result = await agent.run(planInput(plan));
          outcomes.push({ runId: result.runId, status: result.status, error: null });
        } catch (error) {
          const runId = (error as { runId?: string }).runId ?? null;
          outcomes.push({ runId, status: null, error: DendruxError.isInstance(error) ? (error as Error).name : `untyped ${String(error)}` });
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    } finally {
      stop = true;
      await terminator;
      await admin.end();
    }

    // A run whose final write was itself killed (retries exhausted) stays `running` with its lease released;
    // sweep() is how such a run ends, so the invariants are checked after it.
    const before = await audit(database.url, [], { allowRunning: true });
    await sleep(20);
    const swept = await sweep({ databaseUrl: database.url, staleRunningMs: 1 });
    const effects = readEffects(join(dir, "effects.log"));
    const report = await audit(database.url, effects);
    const rows = await withDatabase(database.url, (db) => db.selectFrom("agent_runs").select(["id", "status", "failure_reason"]).execute());
    const rowOf = new Map(rows.map((r) => [r.id, r]));
    const toolRows = await withDatabase(database.url, (db) => db.selectFrom("tool_calls").select(["agent_run_id", "tool_call_id"]).execute());
    const raw = outcomes.filter((o) => o.error?.startsWith("untyped"));
    const figures = {
      seed: FAULT_SEED,
      runs: outcomes.length,
      terminated,
      succeeded: outcomes.filter((o) => o.status === "success").length,
      typedErrors: outcomes.filter((o) => o.error !== null && !o.error.startsWith("untyped")).map((o) => o.error),
      rawDatabaseErrors: raw.length,
      runRows: rows.length,
      leftRunningUntilSweep: before.byStatus.running ?? 0,
      swept: swept.staleRunning.length,
      rowsByStatus: report.byStatus,
      finishedWithoutTerminalEvent: report.finishedWithoutTerminalEvent,
      eventSequenceGaps: report.violations.filter((v) => SEQUENCE_GAP.test(v)),
    };
    console.info(`[faults] pg terminate: ${JSON.stringify(figures)}`);

    // Every invariant, contiguous event numbers included: a number whose commit died with the connection is reused.
    expect(report.violations, replayHint("pg terminate")).toEqual([]);
    expect(report.finishedWithoutTerminalEvent).toEqual([]);
    expect(outcomes).toHaveLength(RUNS);
    // Every error is one of ours (a run whose row could not be written throws RunStartFailedError).
    expect(raw.map((o) => o.error)).toEqual([]);
    for (const o of outcomes.filter((x) => x.runId !== null)) {
      const row = rowOf.get(o.runId!);
      const seen = o.status ?? o.error;
      if (o.status === "success") {
        // The caller and the database agree, and a finished run ran each requested call exactly once, and recorded it.
        expect(row?.status, `run ${o.runId}: the caller saw ${seen}`).toBe("success");
        const ran = effects.filter((e) => e.runId === o.runId).map((e) => e.callId).sort();
        const recorded = toolRows.filter((t) => t.agent_run_id === o.runId).map((t) => t.tool_call_id).sort();
        expect(recorded).toEqual(ran);
      } else if (row) {
        // A failure the caller saw is a failure in the database (written by the run, or by the sweep).
        expect(row.status, `run ${o.runId}: the caller saw ${seen}`).toBe("error");
      }
    }
    expect(terminated).toBeGreaterThan(0);
  }, 180_000);

  it("a connection whose backend was terminated while idle fails its next query with an error retried as transient", async () => {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: database.url });
    const errors: Error[] = [];
    const lost = new Promise<Error>((resolve) => client.on("error", (error: Error) => {
      errors.push(error);
      resolve(error);
    }));
    await client.connect();
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const admin = new pg.Client({ connectionString: process.env.DENDRUX_TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
    await admin.end();
    await lost;
    expect(errors.every((e) => postgresAdapter.isTransient(e)), errors.map((e) => e.message).join("; ")).toBe(true);
    const next = await client.query("SELECT 1").then(() => null, (error: Error) => error);
    expect(next?.message).toBe("Client has encountered a connection error and is not queryable");
    expect(postgresAdapter.isTransient(next)).toBe(true);
    await client.end().catch(() => undefined);
  });

  it("a process whose checked-out connection loses its backend keeps running, and its next query works", async () => {
    const child = spawnChild("lost-connection-child.ts", [database.url, process.env.DENDRUX_TEST_POSTGRES_URL!]);
    const code = await child.exited;
    expect({ code, lines: child.lines }).toEqual({ code: 0, lines: ["SURVIVED"] });
  });
});
