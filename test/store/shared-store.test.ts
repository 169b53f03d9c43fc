import { readdirSync, readlinkSync } from "node:fs";
import { Hono } from "hono";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, PersistenceNotConfiguredError, ValidationError } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { createDialect } from "../../src/store/dialect/create-dialect.js";
import { describeEachBackend, type TestDatabase, withDatabase } from "../support/backends.js";
import { listen } from "../support/http.js";

const REQUESTS = 200;
const POOL_MAX = 4;

/** Open handles of this process on the SQLite file itself (its -wal and -shm files aside). */
function sqliteHandles(path: string): number {
  let n = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) n += 1;
    } catch {
      // closed while we looked
    }
  }
  return n;
}

/** Connections to `database` other than the one asking, grouped by application_name. */
async function postgresConnections(url: string): Promise<Record<string, number>> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ app: string; n: string }>(
      "SELECT application_name AS app, count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY application_name",
    );
    return Object.fromEntries(rows.map((r) => [r.app, Number(r.n)]));
  } finally {
    await client.end();
  }
}

/** A latch: `arrive()` counts callers; `all` settles when `n` have arrived; `release()` lets them go on. */
function gate(n: number) {
  let arrived = 0;
  let allArrived!: () => void;
  let open!: () => void;
  const all = new Promise<void>((resolve) => (allArrived = resolve));
  const released = new Promise<void>((resolve) => (open = resolve));
  return {
    all,
    release: () => open(),
    async arrive() {
      arrived += 1;
      if (arrived === n) allArrived();
      await released;
    },
  };
}

describeEachBackend("a store shared by many agents", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await backend.create();
  });
  afterAll(async () => database?.cleanup());

  const LIST_CONNECTIONS = 1;

  it(`serves ${REQUESTS} concurrent web requests, each with its own agent, through one bounded pool`, async () => {
    const applicationName = `dx_shared_${Math.random().toString(36).slice(2, 8)}`;
    // List reads (countRuns below) get connections of their own, beside the pool the agents share.
    const store = RunStore.fromDatabaseUrl(database.url, { databaseOptions: { poolMax: POOL_MAX, applicationName }, listConnections: LIST_CONNECTIONS });
    const inFlight = gate(REQUESTS);
    const app = new Hono();
    app.post("/chat", async (c) => {
      const { text } = await c.req.json<{ text: string }>();
      // The recipe: a short-lived agent per request on the shared store; closing it leaves the pool open.
      await using agent = new Agent({
        name: "Endpoint",
        provider: new MockLLM([
          async () => {
            await inFlight.arrive();
            return `echo: ${text}`;
          },
        ]),
        prompt: "Echo the user.",
        store,
      });
      const result = await agent.run(text, { metadata: { request: text } });
      return c.json({ runId: result.runId, status: result.status, answer: result.answer });
    });
    const server = await listen(app.fetch);
    try {
      const responses = Array.from({ length: REQUESTS }, (_, i) =>
        fetch(`${server.url}/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: `q${i}` }) }).then(
          (r) => r.json() as Promise<{ runId: string; status: string; answer: string }>,
        ),
      );
      // Every run has been created and is waiting on its model call: all 200 are alive at once.
      await inFlight.all;
      if (backend.name === "postgres") {
        const connections = await postgresConnections(database.url);
        // One pool: nothing else is connected to this database, and it holds at most poolMax connections.
        expect(Object.keys(connections)).toEqual([applicationName]);
        expect(connections[applicationName]).toBeGreaterThanOrEqual(1);
        expect(connections[applicationName]).toBeLessThanOrEqual(POOL_MAX);
      } else {
        expect(sqliteHandles((parseDatabaseUrl(database.url) as { path: string }).path)).toBe(1);
      }
      inFlight.release();
      const results = await Promise.all(responses);
      expect(results.every((r) => r.status === "success")).toBe(true);
      expect(results.map((r) => r.answer).sort()).toEqual(Array.from({ length: REQUESTS }, (_, i) => `echo: q${i}`).sort());
      expect(new Set(results.map((r) => r.runId)).size).toBe(REQUESTS);

      // Every agent was closed; the shared pool is still open and holds every run.
      expect(await store.countRuns({ agentName: "Endpoint", status: "success" })).toBe(REQUESTS);
      const one = results[17]!;
      expect((await store.getRun(one.runId))?.metadata).toEqual({ request: one.answer.slice("echo: ".length) });
      if (backend.name === "postgres") {
        const after = await postgresConnections(database.url);
        expect(after[applicationName]).toBeLessThanOrEqual(POOL_MAX + LIST_CONNECTIONS);
      } else {
        expect(sqliteHandles((parseDatabaseUrl(database.url) as { path: string }).path)).toBe(1 + LIST_CONNECTIONS);
      }
    } finally {
      await server.close();
      await store.close();
    }
    if (backend.name === "sqlite") expect(sqliteHandles((parseDatabaseUrl(database.url) as { path: string }).path)).toBe(0);
  }, 120_000);

  it("a caller's Kysely instance is shared the same way and stays open after the agents close", async () => {
    await withDatabase(database.url, async (db) => {
      const first = new Agent({ name: "Kys", provider: new MockLLM(["one"]), prompt: "p", store: db });
      const second = new Agent({ name: "Kys", provider: new MockLLM(["two"]), prompt: "p", store: db });
      const a = await first.run("1");
      await first.close();
      const b = await second.run("2");
      await second.close();
      const reader = RunStore.fromKysely(db);
      expect((await reader.listRuns({ agentName: "Kys" })).map((r) => r.runId).sort()).toEqual([a.runId, b.runId].sort());
      await reader.close();
      // Still usable: neither the agents nor the reader closed it.
      const row = await db.selectFrom("agent_runs").select("status").where("id", "=", b.runId).executeTakeFirstOrThrow();
      expect(row.status).toBe("success");
    });
  });

  it("agents on DENDRUX_DATABASE_URL share one process-wide pool that no agent closes", async () => {
    const saved = process.env.DENDRUX_DATABASE_URL;
    process.env.DENDRUX_DATABASE_URL = database.url;
    try {
      const a = new Agent({ name: "Env", provider: new MockLLM(["a"]), prompt: "p" });
      const b = new Agent({ name: "Env", provider: new MockLLM(["b"]), prompt: "p" });
      expect(await a.persistence()).toBe(await b.persistence());
      await a.run("x");
      await a.close();
      expect((await b.run("y")).status).toBe("success");
      await b.close();
      // An agent with its own databaseUrl gets its own pool, closed with it.
      const own = new Agent({ name: "Own", provider: new MockLLM(["c"]), prompt: "p", databaseUrl: database.url });
      expect(await own.persistence()).not.toBe(await b.persistence());
      await own.run("z");
      await own.close();
      await using reader = RunStore.fromDatabaseUrl(database.url);
      expect(await reader.countRuns({ agentName: "Env" })).toBe(2);
    } finally {
      if (saved === undefined) delete process.env.DENDRUX_DATABASE_URL;
      else process.env.DENDRUX_DATABASE_URL = saved;
    }
  });

  it("databaseOptions reach the connection", async () => {
    const dialect = createDialect(parseDatabaseUrl(database.url), { databaseOptions: { statementTimeoutMs: 1234, busyTimeoutMs: 4321 } });
    const db = await dialect.createKysely();
    try {
      if (backend.name === "postgres") {
        const { rows } = await sql<{ statement_timeout: string }>`SHOW statement_timeout`.execute(db);
        expect(rows[0]!.statement_timeout).toBe("1234ms");
      } else {
        const { rows } = await sql<{ timeout: number }>`PRAGMA busy_timeout`.execute(db);
        expect(Object.values(rows[0]!)).toEqual([4321]);
      }
    } finally {
      await db.destroy();
    }
  });

  it("a read-only store cannot be written through, and says so", async () => {
    await using readOnly = RunStore.fromDatabaseUrl(database.url, { readOnly: true });
    const agent = new Agent({ name: "RO", provider: new MockLLM(["x"]), prompt: "p", store: readOnly });
    const error = await agent.run("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("store");
  });
});

describe("shared store options are checked at construction", () => {
  const provider = new MockLLM([]);
  const field = (make: () => unknown) => {
    try {
      make();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return [(error as ValidationError).field, (error as ValidationError).message];
    }
    throw new Error("expected a ValidationError");
  };

  it("names the option and the rule", () => {
    const store = RunStore.fromDatabaseUrl("sqlite::memory:");
    expect(field(() => new Agent({ provider, prompt: "p", store, databaseUrl: "sqlite::memory:" }))).toEqual([
      "store",
      "databaseUrl and store are mutually exclusive. Pass one or the other.",
    ]);
    expect(field(() => new Agent({ provider, prompt: "p", store, databaseOptions: { poolMax: 2 } }))[0]).toBe("databaseOptions");
    expect(field(() => new Agent({ provider, prompt: "p", databaseOptions: { poolMax: 2 } }))[1]).toContain("databaseOptions requires databaseUrl");
    expect(field(() => new Agent({ provider, prompt: "p", store: {} as never }))[0]).toBe("store");
    expect(field(() => new Agent({ provider, prompt: "p", databaseUrl: "sqlite::memory:", databaseOptions: { pool_size: 5 } as never }))).toEqual([
      "databaseOptions.pool_size",
      "Unknown databaseOptions key 'pool_size'. Known keys: poolMax, statementTimeoutMs, idleTimeoutMs, connectionTimeoutMs, busyTimeoutMs, applicationName.",
    ]);
    expect(field(() => new Agent({ provider, prompt: "p", databaseUrl: "sqlite::memory:", databaseOptions: { poolMax: 0 } }))[0]).toBe("databaseOptions.poolMax");
    expect(field(() => RunStore.fromDatabaseUrl("sqlite::memory:", { databaseOptions: { statementTimeoutMs: -1 } }))[0]).toBe("databaseOptions.statementTimeoutMs");
  });

  it("an agent without any database still refuses what needs one", async () => {
    const saved = process.env.DENDRUX_DATABASE_URL;
    delete process.env.DENDRUX_DATABASE_URL;
    try {
      await expect(new Agent({ provider, prompt: "p" }).cancelRun("01J00000000000000000000000")).rejects.toThrow(PersistenceNotConfiguredError);
    } finally {
      if (saved !== undefined) process.env.DENDRUX_DATABASE_URL = saved;
    }
  });
});
