import { CompiledQuery, type KyselyPlugin, sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { createDialect } from "../../src/store/dialect/create-dialect.js";
import { RunStore } from "../../src/store/index.js";
import { migratePostgres } from "../../src/store/migrate.js";
import { describeEachBackend, type TestDatabase, withDatabase } from "../support/backends.js";
import { insertRuns } from "../support/many-runs.js";

const BASE = Date.UTC(2026, 5, 1);
const runId = (i: number) => `01THREAD${String(i).padStart(18, "0")}`;

describeEachBackend("the thread filter (metadata.thread_id)", (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.create();
    const dialect = createDialect(parseDatabaseUrl(database.url));
    const db = await dialect.createKysely();
    await dialect.prepare(db);
    await db.destroy();
    // Written as another program writes: SQL naming only the reference's columns.
    await insertRuns(database.url, [
      ...Array.from({ length: 120 }, (_, i) => ({ id: runId(i), createdAt: new Date(BASE + i * 1000), meta: { thread_id: `t_${i % 3}`, user_id: "u_1" } })),
      { id: runId(200), createdAt: new Date(BASE + 200_000), meta: { thread_id: "5" } },
      { id: runId(201), createdAt: new Date(BASE + 201_000), meta: { thread_id: 5 } },
      { id: runId(202), createdAt: new Date(BASE + 202_000), meta: { other: "x" } },
      { id: runId(203), createdAt: new Date(BASE + 203_000), meta: null },
    ]);
  }, 60_000);
  afterAll(async () => database?.cleanup());

  /** A store over its own connection, and every statement it sends. */
  async function openStore(): Promise<{ store: RunStore; sent: string[]; close(): Promise<void> }> {
    const dialect = createDialect(parseDatabaseUrl(database.url));
    const raw = await dialect.createKysely();
    const sent: string[] = [];
    const record: KyselyPlugin = {
      transformQuery: (args) => {
        sent.push(raw.getExecutor().compileQuery(args.node, args.queryId).sql);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const store = RunStore.fromKysely(raw.withPlugin(record), backend.name);
    return { store, sent, close: async () => (await store.close(), await raw.destroy()) };
  }

  /** What a user sees: each thread's newest page and its total, string and number ids apart. */
  async function answers(store: RunStore) {
    const page = async (threadId: string | number) => {
      const { runs, total } = await store.listRunsPage({ metadataFilter: { thread_id: threadId }, limit: 10 }, { totalUpTo: 30 });
      return { ids: runs.map((r) => r.runId), total };
    };
    return {
      t0: await page("t_0"),
      t1Later: (await store.listRuns({ metadataFilter: { thread_id: "t_1" }, limit: 5, before: runId(100) })).map((r) => r.runId),
      text5: await page("5"),
      number5: await page(5),
      none: await page("nobody"),
      count: await store.countRuns({ metadataFilter: { thread_id: "t_2", user_id: "u_1" } }),
      thread: (await store.getThread("t_0", { limit: 3 })).map((t) => t.runId),
    };
  }

  const EXPECTED = {
    t0: { ids: Array.from({ length: 10 }, (_, k) => runId(117 - 3 * k)), total: { count: 30, exact: false } },
    t1Later: [97, 94, 91, 88, 85].map(runId),
    text5: { ids: [runId(200)], total: { count: 1, exact: true } },
    number5: { ids: [runId(201)], total: { count: 1, exact: true } },
    none: { ids: [], total: { count: 0, exact: true } },
    count: 40,
    thread: [runId(111), runId(114), runId(117)],
  };

  it("matches by type and value, newest first, with capped totals", async () => {
    const { store, close } = await openStore();
    try {
      expect(await answers(store)).toEqual(EXPECTED);
    } finally {
      await close();
    }
  });

  it("follows a run whose metadata another program changes", async () => {
    await withDatabase(database.url, async (db, a) => {
      await db.updateTable("agent_runs").set({ meta: a.json({ thread_id: "moved" }) }).where("id", "=", runId(202)).execute();
    });
    const { store, close } = await openStore();
    try {
      expect((await store.listRuns({ metadataFilter: { thread_id: "moved" } })).map((r) => r.runId)).toEqual([runId(202)]);
    } finally {
      await close();
      await withDatabase(database.url, async (db, a) => {
        await db.updateTable("agent_runs").set({ meta: a.json({ other: "x" }) }).where("id", "=", runId(202)).execute();
      });
    }
  });

  if (backend.name === "postgres") {
    it("PostgreSQL: reads a thread's string id through meta_thread_id, counted from its index alone", async () => {
      const { store, sent, close } = await openStore();
      try {
        await store.listRunsPage({ metadataFilter: { thread_id: "t_0" }, limit: 10 }, { totalUpTo: 30 });
        const page = sent.at(-1)!;
        expect(page).toContain('"meta_thread_id" = $');
        await withDatabase(database.url, async (db) => {
          await sql`VACUUM ANALYZE agent_runs`.execute(db);
          const count = `SELECT count(*) FROM (SELECT 1 FROM agent_runs WHERE "meta_thread_id" = 't_0' ORDER BY created_at DESC, id DESC LIMIT 31) m`;
          const plan = await db.executeQuery<{ "QUERY PLAN": string }>(CompiledQuery.raw(`EXPLAIN ${count}`));
          expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/Index Only Scan.* using ix_agent_runs_meta_thread_created/);
        });
      } finally {
        await close();
      }
    });

    it("PostgreSQL: a database without meta_thread_id (our migrations never ran) gives the same answers; migrating adds it back", async () => {
      await withDatabase(database.url, (db) => sql`ALTER TABLE agent_runs DROP COLUMN meta_thread_id`.execute(db));
      const without = await openStore();
      try {
        expect(await answers(without.store)).toEqual(EXPECTED);
        expect(without.sent.join("\n")).not.toContain("meta_thread_id");
      } finally {
        await without.close();
      }
      const migrated = await withDatabase(database.url, (db) => migratePostgres(db));
      expect(migrated.error).toBeUndefined();
      const withColumn = await openStore();
      try {
        expect(await answers(withColumn.store)).toEqual(EXPECTED);
        expect(withColumn.sent.join("\n")).toContain("meta_thread_id");
      } finally {
        await withColumn.close();
      }
    });
  }
});
