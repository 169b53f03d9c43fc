import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { sql } from "kysely";
import { z } from "zod";
import { Agent, tool } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { RunStore } from "../../src/store/index.js";
import { retryTransient } from "../../src/store/retry.js";
import { RunStartFailedError } from "../../src/errors/index.js";
import { describeEachBackend, withDatabase, type TestDatabase } from "../support/backends.js";
import { readRange } from "../support/tools.js";

/**
 * Makes the next write of this process fail once with a real transient error, then lets it through.
 * SQLite: another OS process holds the write lock past our 5 s busy timeout (SQLITE_BUSY).
 * PostgreSQL: a lock holds our next write (reads pass), and its backend is terminated while it waits (57P01).
 */
async function failNextWriteOnce(database: TestDatabase): Promise<{ done: Promise<void> }> {
  const target = parseDatabaseUrl(database.url);
  if (target.kind === "sqlite") {
    const holder = spawn(
      process.execPath,
      [
        "--input-type=commonjs",
        "-e",
        `const db = new (require("better-sqlite3"))(process.argv[1]);
         db.exec("BEGIN EXCLUSIVE");
         process.stdout.write("locked\\n");
         setTimeout(() => { db.exec("COMMIT"); db.close(); }, 6500);`,
        target.path,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once("data", () => resolve());
      holder.once("exit", (code) => reject(new Error(`lock holder exited early (${code})`)));
    });
    return { done: new Promise((resolve) => holder.once("exit", () => resolve())) };
  }
  const { default: pg } = await import("pg");
  const locker = new pg.Client({ connectionString: target.connectionString });
  await locker.connect();
  await locker.query("BEGIN");
  // SHARE mode holds writes of the table (what this test is about) and lets reads through.
  await locker.query("LOCK TABLE agent_runs IN SHARE MODE");
  const done = (async () => {
    try {
      for (;;) {
        const { rows } = await locker.query(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        );
        if (rows.length > 0) {
          await locker.query("SELECT pg_terminate_backend($1)", [rows[0].pid]);
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      await locker.query("COMMIT");
    } finally {
      await locker.end();
    }
  })();
  return { done };
}

describeEachBackend("durability: database failures", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  const agents: Agent[] = [];
  const agentWith = (script: ConstructorParameters<typeof MockLLM>[0]) => {
    const a = new Agent({ name: "Durable", provider: new MockLLM(script), prompt: "p", tools: [readRange], databaseUrl: database.url });
    agents.push(a);
    return a;
  };
  beforeAll(async () => {
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await store.close();
    await database.cleanup();
  });

  it("a fail-closed write survives one real transient failure, once, with nothing doubled", async () => {
    vi.stubEnv("DENDRUX_LOG", "");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    let injected: { done: Promise<void> } | undefined;
    const flaky = tool({
      name: "flaky",
      description: "",
      parameters: z.object({}),
      // the tool's own row goes out with the next commit after this returns (the run's end)
      execute: async () => {
        injected = await failNextWriteOnce(database);
        return "ok";
      },
    });
    const agent = new Agent({ name: "Durable", provider: new MockLLM([{ toolCalls: [{ name: "flaky" }] }, "done"]), prompt: "p", tools: [flaky], databaseUrl: database.url });
    try {
      const result = await agent.run("go");
      await injected!.done;
      expect(result.status).toBe("success");
      const retries = warn.mock.calls.map(([m]) => String(m)).filter((m) => m.includes("Transient DB failure"));
      expect(retries).toEqual([expect.stringContaining(`Transient DB failure 1/3 for finalize_success (run ${result.runId})`)]);
      expect(await store.getToolInvocations(result.runId)).toMatchObject([{ toolName: "flaky", success: true }]);
      const events = await store.getEvents(result.runId);
      expect(events.map((e) => e.sequenceIndex)).toEqual(events.map((_, i) => i));
      expect(events.map((e) => e.eventType)).toEqual(["run.started", "llm.completed", "tool.completed", "llm.completed", "run.completed"]);
      expect(await store.getRun(result.runId)).toMatchObject({ status: "success", answer: "done" });
    } finally {
      warn.mockRestore();
      vi.unstubAllEnvs();
      await agent.close();
    }
  }, 20_000);

  it("retries lock and connection errors three times at most, and a real constraint violation never", async () => {
    await withDatabase(database.url, async (db, adapter) => {
      let attempts = 0;
      const duplicate = () => {
        attempts += 1;
        return db.insertInto("agent_runs").values({ id: "dup" } as never).execute();
      };
      await expect(retryTransient(adapter, "insert", "r", duplicate)).rejects.toThrow();
      expect(attempts).toBe(1);
      const busy = backend.name === "sqlite" ? Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }) : Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
      attempts = 0;
      const flaky = async () => {
        attempts += 1;
        if (attempts < 3) throw busy;
        return "ok";
      };
      await expect(retryTransient(adapter, "flaky", "r", flaky)).resolves.toBe("ok");
      expect(attempts).toBe(3);
      attempts = 0;
      const down = async () => {
        attempts += 1;
        throw busy;
      };
      await expect(retryTransient(adapter, "down", "r", down)).rejects.toBe(busy);
      expect(attempts).toBe(4);
    });
  });

  /** Makes every insert into `table` fail inside the database (a trigger), until the returned function is called. */
  async function failInserts(table: "tool_calls" | "llm_interactions" | "agent_runs"): Promise<() => Promise<void>> {
    const trigger = sql.raw(`boom_${table}`);
    await withDatabase(database.url, async (db) => {
      if (database.kind === "sqlite") {
        await sql`CREATE TRIGGER ${trigger} BEFORE INSERT ON ${sql.table(table)} BEGIN SELECT RAISE(ABORT, 'recorder boom'); END`.execute(db);
      } else {
        await sql`CREATE FUNCTION ${trigger}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'recorder boom'; END $$ LANGUAGE plpgsql`.execute(db);
        await sql`CREATE TRIGGER ${trigger} BEFORE INSERT ON ${sql.table(table)} FOR EACH ROW EXECUTE FUNCTION ${trigger}()`.execute(db);
      }
    });
    return () =>
      withDatabase(database.url, async (db) => {
        await sql`DROP TRIGGER ${trigger}${database.kind === "postgres" ? sql` ON ${sql.table(table)}` : sql``}`.execute(db);
        if (database.kind === "postgres") await sql`DROP FUNCTION ${trigger}()`.execute(db);
      });
  }

  it("a write that fails while a resume replays the submission fails the run: run_failed, error row, rejection", async () => {
    const paused = await agentWith([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }]).run("go");
    const restore = await failInserts("tool_calls");
    const log: string[] = [];
    try {
      const submit = agentWith(["never"]).submitToolResults(paused.runId, [{ name: "read_range", callId: paused.pendingToolCalls![0]!.id, payload: "1" }], {
        notifier: {
          onRunStarted: () => void log.push("run_started"),
          onRunFinished: () => void log.push("run_finished"),
          onRunFailed: (_id, error) => void log.push(`run_failed: ${(error as Error).message}`),
        },
      });
      await expect(submit).rejects.toThrow("recorder boom");
    } finally {
      await restore();
    }
    expect(log).toEqual(["run_started", expect.stringMatching(/^run_failed: .*recorder boom/)]);
    expect(await store.getRun(paused.runId)).toMatchObject({ status: "error" });
    expect((await store.getEvents(paused.runId)).map((e) => e.eventType).slice(-2)).toEqual(["run.resumed", "run.error"]);
  });

  it("a failing llm_interactions write is best-effort: the run succeeds and token usage is still recorded", async () => {
    const restore = await failInserts("llm_interactions");
    let result;
    try {
      result = await agentWith([{ text: "done", usage: { inputTokens: 7, outputTokens: 3 } }]).run("go");
    } finally {
      await restore();
    }
    expect(result.status).toBe("success");
    expect(await store.getLlmCalls(result.runId)).toEqual([]);
    const events = await store.getEvents(result.runId);
    expect(events.map((e) => e.eventType)).toEqual(["run.started", "llm.completed", "run.completed"]);
    const usage = await withDatabase(database.url, (db) => sql<{ input_tokens: number; output_tokens: number }>`SELECT input_tokens, output_tokens FROM token_usage WHERE agent_run_id = ${result.runId}`.execute(db));
    expect(usage.rows).toEqual([{ input_tokens: 7, output_tokens: 3 }]);
    expect(await store.getRun(result.runId)).toMatchObject({ totalInputTokens: 7, totalOutputTokens: 3 });
  });

  async function refusedRun(agent: Agent): Promise<RunStartFailedError> {
    const restore = await failInserts("agent_runs");
    let error: unknown;
    try {
      await agent.run("go");
    } catch (caught) {
      error = caught;
    } finally {
      await restore();
    }
    expect(error).toBeInstanceOf(RunStartFailedError);
    const failure = error as RunStartFailedError;
    expect(String((failure.cause as Error).message)).toContain("recorder boom");
    expect(await store.getRun(failure.runId)).toBeNull();
    expect(await store.getEvents(failure.runId)).toEqual([]);
    return failure;
  }

  it("a run the database refuses to record throws RunStartFailedError with its id; recorded up front (recordWithinMs: 0), no model was called", async () => {
    const llm = new MockLLM(["never"]);
    const agent = new Agent({ name: "Durable", provider: llm, prompt: "p", databaseUrl: database.url, recordWithinMs: 0 });
    agents.push(agent);
    await refusedRun(agent);
    expect(llm.callsMade).toBe(0);
  });

  it("a run recorded with its first step that the database refuses throws RunStartFailedError before its first tool starts", async () => {
    const llm = new MockLLM([{ toolCalls: [{ name: "side_effect" }] }, "never"]);
    const effects: string[] = [];
    const sideEffect = tool({ name: "side_effect", description: "", parameters: z.object({}), execute: () => (effects.push("ran"), "done") });
    const agent = new Agent({ name: "Durable", provider: llm, prompt: "p", tools: [sideEffect], databaseUrl: database.url, recordWithinMs: 60_000 });
    agents.push(agent);
    await refusedRun(agent);
    expect(llm.callsMade).toBe(1);
    expect(effects).toEqual([]);
  });
});
