import { CompiledQuery, type Kysely, type KyselyPlugin, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/errors/validation-error.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { createDialect } from "../../src/store/dialect/create-dialect.js";
import { PostgresStoreDialect } from "../../src/store/dialect/postgres/postgres-dialect.js";
import { type ListRunsOptions, RunStore } from "../../src/store/index.js";
import type { Database } from "../../src/store/schema.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { insertRuns, type SyntheticRun } from "../support/many-runs.js";

const RUNS = 20_000;
const BASE = Date.UTC(2026, 0, 1);
const runId = (i: number) => `01SCALE${String(i).padStart(19, "0")}`;

/**
 * Two runs share each `created_at` (ties for the keyset order); 2% errors, 5 common agents and 20 common tenants
 * plus a rare one of each (0.1%), every 20th run a child, 200 threads.
 */
function synthetic(i: number): SyntheticRun {
  return {
    id: runId(i),
    createdAt: new Date(BASE + Math.floor(i / 2) * 1000),
    status: i % 50 === 0 ? "error" : i % 200 === 1 ? "running" : "success",
    agentName: i % 1000 === 7 ? "RareAgent" : `Agent${i % 5}`,
    tenantId: i % 1000 === 7 ? "rare_tenant" : `tenant_${i % 20}`,
    parentRunId: i % 20 === 19 ? runId(i - 1) : null,
    meta: { thread_id: `t_${i % 200}`, user_id: `u_${i % 97}` },
  };
}

interface Plan {
  /** One line per plan node: SQLite's `detail`, PostgreSQL's node type, relation, index and conditions. */
  readonly lines: string[];
}

async function explain(db: Kysely<Database>, kind: "sqlite" | "postgres", query: CompiledQuery): Promise<Plan> {
  if (kind === "sqlite") {
    const result = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]));
    return { lines: result.rows.map((r) => r.detail) };
  }
  const result = await db.executeQuery<{ "QUERY PLAN": [{ Plan: PgNode }] }>(CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${query.sql}`, [...query.parameters]));
  const lines: string[] = [];
  const walk = (node: PgNode) => {
    const parts = [node["Node Type"], node["Relation Name"] && `on ${node["Relation Name"]}`, node["Index Name"] && `using ${node["Index Name"]}`, node["Index Cond"] && `cond ${node["Index Cond"]}`];
    lines.push(parts.filter(Boolean).join(" "));
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(result.rows[0]!["QUERY PLAN"][0].Plan);
  return { lines };
}

interface PgNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PgNode[];
}

/** A plan that reads all of `agent_runs`: SQLite's bare `SCAN agent_runs`, PostgreSQL's `Seq Scan`. */
const fullScan = (plan: Plan) => plan.lines.filter((l) => /^SCAN agent_runs$/.test(l) || /^Seq Scan on agent_runs/.test(l));
/**
 * The plan finds rows through an index condition on `column` (not a walk of another index with a filter).
 * SQLite names an expression index's key `<expr>`: the thread key is recognised by its index.
 */
const searches = (plan: Plan, column: string) =>
  plan.lines.some((l) => {
    const names = l.includes(column) || (column === "thread_id" && l.includes("ix_agent_runs_thread_created (<expr>"));
    return names && (l.startsWith("SEARCH agent_runs USING") || / using \w+ cond /.test(l));
  });

describeEachBackend("run lists at scale", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  let captured: CompiledQuery[] = [];
  let db: Kysely<Database>;

  beforeAll(async () => {
    database = await backend.create();
    const dialect = createDialect(parseDatabaseUrl(database.url));
    const raw = await dialect.createKysely();
    await dialect.prepare(raw);
    // Every statement the store sends, compiled, so its plan can be asked for (subqueries are seen too, but only
    // an executed query gets a result).
    const compiled = new Map<unknown, CompiledQuery>();
    const capture: KyselyPlugin = {
      transformQuery: (args) => {
        compiled.set(args.queryId, raw.getExecutor().compileQuery(args.node, args.queryId));
        return args.node;
      },
      transformResult: async (args) => {
        captured.push(compiled.get(args.queryId)!);
        compiled.delete(args.queryId);
        return args.result;
      },
    };
    db = raw;
    store = RunStore.fromKysely(raw.withPlugin(capture), backend.name);
    await insertRuns(database.url, Array.from({ length: RUNS }, (_, i) => synthetic(i)));
    // As autovacuum leaves a table that has settled: PostgreSQL plans index-only scans once its visibility map is set.
    if (backend.name === "postgres") await sql.raw("VACUUM ANALYZE agent_runs").execute(raw);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await db?.destroy();
    await database?.cleanup();
  });

  const statements = async (read: () => Promise<unknown>) => {
    captured = [];
    await read();
    return captured.filter((q) => /\bagent_runs\b/.test(q.sql));
  };

  describe("planning", () => {
    it("an unfiltered page is sent with its bounds inline, so PostgreSQL plans it once; filter values stay parameters", async () => {
      const unfiltered = (await statements(() => store.listRunsPage({ limit: 50 }, { totalUpTo: 100 }))).at(-1);
      expect(unfiltered!.parameters).toEqual([]);
      expect(unfiltered!.sql).toMatch(/limit 101\b[\s\S]*limit 50$/);
      const filtered = (await statements(() => store.listRunsPage({ status: "error", limit: 50 }, { totalUpTo: 100 }))).at(-1);
      expect(filtered!.parameters).toEqual(["error", 101, "error", 50]);
    });

    it("a run's own rows are read with the limit inline (one plan fits every run: the run's index)", async () => {
      captured = [];
      await store.getEvents(runId(5), { afterSequenceIndex: 2, limit: 10 });
      await store.getLlmCalls(runId(5), { limit: 7, offset: 1 });
      const [events, calls] = captured.filter((q) => /from "(run_events|llm_interactions)"/.test(q.sql));
      expect(events!.sql).toMatch(/limit 10$/);
      expect(events!.parameters).toEqual([runId(5), 2]);
      expect(calls!.sql).toMatch(/limit 7 offset (\?|\$2)$/);
      expect(calls!.parameters).toEqual([runId(5), 1]);
    });

    if (backend.name === "postgres") {
      it("PostgreSQL: the list pool plans statements with filter values for those values, every time", async () => {
        const dialect = new PostgresStoreDialect(database.url);
        const lists = (await dialect.createSlowReadKysely(1))!;
        try {
          const { rows } = await sql<{ plan_cache_mode: string }>`SHOW plan_cache_mode`.execute(lists);
          expect(rows).toEqual([{ plan_cache_mode: "force_custom_plan" }]);
        } finally {
          await lists.destroy();
        }
      });
    }
  });

  describe("keyset pagination", () => {
    it("pages with `before` visit every matching run once, newest first, across equal created_at", async () => {
      const all = (await store.listRuns({ status: "error", limit: 1000 })).map((r) => r.runId);
      expect(all).toHaveLength(RUNS / 50);
      const seen: string[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await store.listRuns({ status: "error", limit: 7, ...(before ? { before } : {}) });
        seen.push(...page.map((r) => r.runId));
        if (page.length < 7) break;
        before = page.at(-1)!.runId;
      }
      expect(seen).toEqual(all);
      // Ties: both runs of one second come in id order, and a cursor between them splits them exactly.
      const tie = await store.listRuns({ before: runId(101), limit: 2 });
      expect(tie.map((r) => r.runId)).toEqual([runId(100), runId(99)]);
    });

    it("a page after a cursor does not move when newer runs arrive; offset still counts from the cursor", async () => {
      const page1 = await store.listRuns({ agentName: "Agent1", limit: 5 });
      const page2 = await store.listRuns({ agentName: "Agent1", limit: 5, before: page1.at(-1)!.runId });
      await insertRuns(database.url, [{ ...synthetic(RUNS + 1), id: runId(RUNS + 1), createdAt: new Date(BASE + RUNS * 1000) }]);
      expect(await store.listRuns({ agentName: "Agent1", limit: 5, before: page1.at(-1)!.runId })).toEqual(page2);
      const skipped = await store.listRuns({ agentName: "Agent1", limit: 3, offset: 2, before: page1.at(-1)!.runId });
      expect(skipped).toEqual(page2.slice(2, 5));
    });

    it("a cursor that names no run (or one outside the scope) is a ValidationError on `before`", async () => {
      for (const options of [{ before: "01NOSUCHRUN" }, { before: "" }, { before: runId(3), scope: { tenantId: "tenant_4" } }] satisfies ListRunsOptions[]) {
        const error = await store.listRuns(options).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect(error).toMatchObject({ field: "before", message: "before must be the id of a run (the last run of the previous page)." });
      }
    });
  });

  describe("counts", () => {
    it("countRuns is exact; with upTo it stops after upTo matches and says so", async () => {
      expect(await store.countRuns({ status: "error" })).toBe(RUNS / 50);
      expect(await store.countRuns({ status: "error" }, { upTo: 1000 })).toEqual({ count: RUNS / 50, exact: true });
      expect(await store.countRuns({ status: "error" }, { upTo: RUNS / 50 })).toEqual({ count: RUNS / 50, exact: true });
      expect(await store.countRuns({ status: "error" }, { upTo: RUNS / 50 - 1 })).toEqual({ count: RUNS / 50 - 1, exact: false });
      expect(await store.countRuns({ metadataFilter: { thread_id: "t_7" } }, { upTo: 10 })).toEqual({ count: 10, exact: false });
      for (const upTo of [0, -1, 1.5, Number.NaN]) {
        await expect(store.countRuns({}, { upTo })).rejects.toThrow(new ValidationError({ field: "upTo", message: "upTo must be an integer ≥ 1." }));
      }
    });
  });

  describe("query plans", () => {
    const anchor = runId(RUNS - 1001);
    const cases: { name: string; options: ListRunsOptions; column: string | null }[] = [
      { name: "no filter", options: {}, column: null },
      { name: "status", options: { status: "error" }, column: "status" },
      { name: "several statuses", options: { status: ["error", "running"] }, column: null },
      // An agent (20% of the runs) or a tenant (5%) this common may be found by walking the newest-first index
      // (250 or 1,000 entries per page of 50): the planner's choice; a rare one is searched in its own index.
      { name: "agent name", options: { agentName: "Agent3" }, column: null },
      { name: "rare agent name", options: { agentName: "RareAgent" }, column: "agent_name" },
      { name: "tenant", options: { tenantId: "tenant_7" }, column: null },
      { name: "rare tenant", options: { tenantId: "rare_tenant" }, column: "tenant_id" },
      { name: "parent", options: { parentRunId: runId(398) }, column: "parent_run_id" },
      { name: "thread", options: { metadataFilter: { thread_id: "t_5" } }, column: "thread_id" },
      { name: "tenant scope and status", options: { status: "error", scope: { tenantId: "tenant_0" } }, column: "status" },
      { name: "started after", options: { startedAfter: new Date(BASE + 9000 * 1000) }, column: "created_at" },
      { name: "keyset cursor", options: { before: anchor }, column: "created_at" },
      { name: "status and keyset cursor", options: { status: "error", before: anchor }, column: "status" },
      { name: "thread and keyset cursor", options: { metadataFilter: { thread_id: "t_5" }, before: anchor }, column: "thread_id" },
      { name: "run-id prefix", options: { runIdPrefix: "01SCALE00000000000000001" }, column: "id" },
      { name: "deep offset", options: { offset: 5000 }, column: null },
      { name: "status and deep offset", options: { status: "error", offset: 200 }, column: "status" },
    ];

    for (const { name, options, column } of cases) {
      it(`${name}: the page and its capped count read through an index, never the whole table`, async () => {
        const list = await statements(() => store.listRuns({ ...options, limit: 50 }));
        // A cap well below the matches, as 10,000 is below them at a million runs (the planner reads the table
        // when a count would visit most of a small one anyway).
        const count = await statements(() => store.countRuns(options, { upTo: 100 }));
        const page = await statements(() => store.listRunsPage({ ...options, limit: 50 }, { totalUpTo: 100 }));
        expect(list.length).toBeGreaterThanOrEqual(1);
        expect(count.length).toBeGreaterThanOrEqual(1);
        for (const query of [...list, ...count, ...page]) {
          const plan = await explain(db, backend.name, query);
          expect(fullScan(plan), `${query.sql}\n${plan.lines.join("\n")}`).toEqual([]);
        }
        if (column) {
          for (const query of [list.at(-1)!, page.at(-1)!]) {
            const plan = await explain(db, backend.name, query);
            expect(searches(plan, column), plan.lines.join("\n")).toBe(true);
          }
        }
      });
    }

    it("a deep offset skips its runs in the index alone and reads only the page's rows", async () => {
      for (const options of [{ offset: 5000 }, { status: "error" as const, offset: 200 }]) {
        const [page] = await statements(() => store.listRunsPage({ ...options, limit: 50 }, { totalUpTo: 100 }));
        const plan = await explain(db, backend.name, page!);
        expect(plan.lines.some((l) => /USING COVERING INDEX|^Index Only Scan/.test(l)), plan.lines.join("\n")).toBe(true);
      }
      const newest = await store.listRuns({ offset: 4990, limit: 20 });
      expect((await store.listRuns({ offset: 5000, limit: 10 })).map((r) => r.runId)).toEqual(newest.slice(10).map((r) => r.runId));
    });

    it("run-id prefix search is case-sensitive and exact on both engines", async () => {
      const found = await store.listRuns({ runIdPrefix: runId(190).slice(0, -1), limit: 50 });
      expect(found.map((r) => r.runId).sort()).toEqual(Array.from({ length: 10 }, (_, k) => runId(190 + k)));
      expect(await store.listRuns({ runIdPrefix: "01scale", limit: 5 })).toEqual([]);
      expect(await store.countRuns({ runIdPrefix: runId(199) })).toBe(1);
    });

    it("listRunsPage: a page and its capped count are one statement; a short last page is its own total (exact past the cap)", async () => {
      const all = await store.countRuns({});
      const last = await statements(() => store.listRunsPage({ limit: 50, offset: all - 10 }, { totalUpTo: 100 }));
      expect(last).toHaveLength(1);
      expect((await store.listRunsPage({ limit: 50, offset: all - 10 }, { totalUpTo: 100 })).total).toEqual({ count: all, exact: true });
      const fullPage = await statements(() => store.listRunsPage({ status: "error", limit: 50 }, { totalUpTo: 100 }));
      expect(fullPage).toHaveLength(1);
      const full = await store.listRunsPage({ status: "error", limit: 50 }, { totalUpTo: 100 });
      expect(full.runs).toHaveLength(50);
      expect(full.total).toEqual({ count: 100, exact: false });
      expect((await store.listRunsPage({ status: "error", limit: 50 })).total).toEqual({ count: RUNS / 50, exact: true });
      // Past the end, an empty page has no row to carry the count: it is counted on its own.
      expect(await statements(() => store.listRunsPage({ limit: 50, offset: all + 5 }))).toHaveLength(2);
      expect((await store.listRunsPage({ limit: 50, offset: all + 5 })).total).toEqual({ count: all, exact: true });
      const tail = await store.listRunsPage({ limit: 50, before: runId(3) });
      expect(tail.runs.map((r) => r.runId)).toEqual([runId(2), runId(1), runId(0)]);
      expect(tail.total).toEqual({ count: all, exact: true });
      await expect(store.listRunsPage({ limit: 50 }, { totalUpTo: 0 })).rejects.toMatchObject({ name: "ValidationError", field: "totalUpTo" });
    });

    it("listRunsPage: a full page reaching past the cap is its own proof the count is over it: nothing is counted", async () => {
      const deep = await statements(() => store.listRunsPage({ limit: 50, offset: 60 }, { totalUpTo: 100 }));
      expect(deep).toHaveLength(1);
      expect(deep[0]!.sql).not.toMatch(/count\(/i);
      const page = await store.listRunsPage({ limit: 50, offset: 60 }, { totalUpTo: 100 });
      expect(page.runs).toHaveLength(50);
      expect(page.total).toEqual({ count: 100, exact: false });
      // A page that ends within the cap still counts, exactly when it can.
      const shallow = await statements(() => store.listRunsPage({ limit: 50, offset: 40 }, { totalUpTo: 100 }));
      expect(shallow[0]!.sql).toMatch(/count\(/i);
    });

    it("a thread's turns (newest 50, and older ones before a turn) read through the thread index", async () => {
      for (const options of [{ limit: 50 }, { limit: 50, before: runId(RUNS - 195) }]) {
        const queries = await statements(() => store.getThread("t_5", options));
        for (const query of queries) {
          const plan = await explain(db, backend.name, query);
          expect(fullScan(plan), plan.lines.join("\n")).toEqual([]);
          expect(searches(plan, "thread_id") || searches(plan, "id"), plan.lines.join("\n")).toBe(true);
        }
      }
    });
  });
});
