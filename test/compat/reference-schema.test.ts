import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { migratePostgres, postgresStatus } from "../../src/store/migrate.js";
import { POSTGRES_HEAD } from "../../src/store/migrations/postgres-migrations.js";
import type { Database } from "../../src/store/schema.js";
import { describeEachBackend, type TestDatabase, withDatabase } from "../support/backends.js";
import { loadGolden, loadReferenceDatabase } from "./reference-fixtures.js";

/**
 * Our own additions, the only schema objects the reference does not create (documented in the sharing guide):
 * indexes, and on PostgreSQL the generated column `meta_thread_id`.
 */
const OUR_ADDITIONS = {
  sqlite: ["ix_agent_runs_thread_created", "ix_agent_runs_agent_created", "ix_agent_runs_created_id", "ix_agent_runs_parent_created", "ix_agent_runs_status_created", "ix_agent_runs_tenant_created", "ux_run_events_run_sequence"],
  postgres: [
    "agent_runs.meta_thread_id", "ix_agent_runs_meta_thread_created", "ix_agent_runs_agent_created", "ix_agent_runs_created_id", "ix_agent_runs_id_pattern",
    "ix_agent_runs_meta_jsonb", "ix_agent_runs_parent_created", "ix_agent_runs_status_created", "ix_agent_runs_tenant_created", "ux_run_events_run_sequence",
  ],
} as const;
/** `index ix_…` (or `table …`) → its name; a PostgreSQL column is keyed `table.column`. */
const objectName = (key: string) => (key.includes(" ") ? key.split(" ")[1]! : key);

/**
 * The schema as the engine reports it, normalised only for whitespace: SQLite's stored `CREATE` text for every
 * table and index; PostgreSQL's columns (type, nullability, default), constraints and index definitions.
 */
async function schemaOf(db: Kysely<Database>, kind: "sqlite" | "postgres"): Promise<Map<string, string>> {
  const squash = (text: string) => text.replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")").trim();
  if (kind === "sqlite") {
    const { rows } = await sql<{ type: string; name: string; tbl: string; sql: string | null }>`
      SELECT type, name, tbl_name AS tbl, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name`.execute(db);
    return new Map(rows.map((r) => [`${r.type} ${r.name} on ${r.tbl}`, squash(r.sql ?? "(automatic)")]));
  }
  const columns = await sql<{ k: string; v: string }>`
    SELECT c.relname || '.' || a.attname AS k,
           format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
           || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') || ' #' || a.attnum AS v
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`.execute(db);
  const constraints = await sql<{ k: string; v: string }>`
    SELECT 'constraint ' || conname AS k, pg_get_constraintdef(c.oid) AS v
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'`.execute(db);
  const indexes = await sql<{ k: string; v: string }>`
    SELECT 'index ' || indexname AS k, indexdef AS v FROM pg_indexes WHERE schemaname = 'public'`.execute(db);
  return new Map([...columns.rows, ...constraints.rows, ...indexes.rows].map((r) => [r.k, squash(r.v)]));
}

describeEachBackend("a database the Python reference created", (backend) => {
  const golden = loadGolden(backend.name);
  let reference: TestDatabase;
  let ours: TestDatabase;

  beforeAll(async () => {
    reference = await loadReferenceDatabase(backend);
    ours = await backend.create();
    if (backend.name === "sqlite") {
      // A SQLite database gets its schema on first use.
      await using agent = new Agent({ provider: new MockLLM(["hi"]), prompt: "p", databaseUrl: ours.url });
      await agent.run("create the schema");
    }
  });
  afterAll(async () => {
    await reference?.cleanup();
    await ours?.cleanup();
  });

  it("has the schema we create, object by object, except our own documented additions", async () => {
    const theirs = await withDatabase(reference.url, (db) => schemaOf(db, backend.name));
    const mine = await withDatabase(ours.url, (db) => schemaOf(db, backend.name));
    const extra = [...mine.keys()].filter((k) => !theirs.has(k));
    expect(extra.map(objectName).sort()).toEqual([...OUR_ADDITIONS[backend.name]].sort());
    for (const key of extra) mine.delete(key);
    expect(Object.fromEntries(mine)).toEqual(Object.fromEntries(theirs));
    expect(theirs.size).toBeGreaterThan(backend.name === "sqlite" ? 20 : 100);
  });

  it("is accepted by our migrations as it is, and keeps every row", async () => {
    const countBefore = Object.keys(golden.runs).length;
    if (backend.name === "postgres") {
      expect(await withDatabase(reference.url, (db) => postgresStatus(db))).toEqual({ current: POSTGRES_HEAD, head: POSTGRES_HEAD, pending: [], unversioned: false });
      expect(await withDatabase(reference.url, (db) => migratePostgres(db))).toEqual({ from: POSTGRES_HEAD, to: POSTGRES_HEAD, applied: [] });
    } else {
      // The reference never versions SQLite: no alembic_version, and we do not add one.
      const tables = async () =>
        (await withDatabase(reference.url, (db) => sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(db))).rows.map((r) => r.name);
      expect(await tables()).toEqual(["agent_runs", "llm_interactions", "react_traces", "run_events", "token_usage", "tool_calls"]);
    }
    await using agent = new Agent({ provider: new MockLLM(["hello"]), prompt: "p", databaseUrl: reference.url });
    expect((await agent.run("a new run beside the reference's")).status).toBe("success");
    const count = await withDatabase(reference.url, (db) => sql<{ n: number | string }>`SELECT count(*) AS n FROM agent_runs`.execute(db));
    expect(Number(count.rows[0]!.n)).toBe(countBefore + 1);
    const after = await withDatabase(reference.url, (db) => schemaOf(db, backend.name));
    const present = new Set([...after.keys()].map(objectName));
    expect(OUR_ADDITIONS[backend.name].filter((name) => !present.has(name))).toEqual([]);
    if (backend.name === "sqlite") {
      const tables = await withDatabase(reference.url, (db) => sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(db));
      expect(tables.rows.map((r) => r.name)).not.toContain("alembic_version");
    }
  });
});
