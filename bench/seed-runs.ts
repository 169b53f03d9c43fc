/**
 * Fills a database with synthetic runs, generated inside the database (one
 * `INSERT … SELECT` per chunk), so a million runs take seconds, not minutes.
 *
 * Shape of run `i` (0 = oldest): two runs share each `created_at` (so keyset
 * pagination meets ties); status `error` for 2% of runs, `waiting_approval`
 * for 0.5%, `running` for 0.1%, else `success`; 5 agent names; 20 tenants;
 * every 20th run is the child of the run before it; `metadata.thread_id` is
 * `t_<i % threads>`; every 1000th run has 20 events.
 */
import { createReadStream, existsSync } from "node:fs";
import { type Kysely, sql } from "kysely";
import { parseDatabaseUrl } from "../src/store/database-url.js";
import { createDialect } from "../src/store/dialect/create-dialect.js";
import { migratePostgres } from "../src/store/migrate.js";
import type { Database } from "../src/store/schema.js";

const CHUNK = 100_000;
/** Newest run's `created_at`: fixed, so every seeded database is the same. */
const NEWEST = Date.UTC(2026, 10, 1);

export interface SeedOptions {
  readonly threads: number;
  readonly log?: (line: string) => void;
}

/** The id of run `i` (26 characters, ordered like `created_at`). */
export const seededRunId = (i: number) => `01BENCH${String(i).padStart(19, "0")}`;

/** Seeds `total` runs unless the database already holds them; returns how many it holds. */
export async function seedRuns(databaseUrl: string, total: number, options: SeedOptions): Promise<number> {
  const target = parseDatabaseUrl(databaseUrl);
  const dialect = createDialect(target);
  const db = await dialect.createKysely();
  try {
    if (target.kind === "sqlite") await dialect.prepare(db);
    else {
      const migrated = await migratePostgres(db);
      if (migrated.error) throw migrated.error;
    }
    const have = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM agent_runs`.execute(db)).rows[0]?.n ?? 0);
    if (have === total) return have;
    if (have !== 0) throw new Error(`${databaseUrl} holds ${have} runs, not ${total}: drop it first.`);
    const base = NEWEST / 1000 - Math.ceil(total / 2);
    for (let from = 0; from < total; from += CHUNK) {
      const to = Math.min(total, from + CHUNK) - 1;
      if (target.kind === "sqlite") await seedSqlite(db, from, to, base, options.threads);
      else await seedPostgres(db, from, to, base, options.threads);
      options.log?.(`seeded ${to + 1}/${total}`);
    }
    await sql.raw(target.kind === "sqlite" ? "ANALYZE" : "VACUUM ANALYZE").execute(db);
    return total;
  } finally {
    await db.destroy();
  }
}

async function seedSqlite(db: Kysely<Database>, from: number, to: number, base: number, threads: number): Promise<void> {
  await sql`
    WITH RECURSIVE n(i) AS (SELECT ${sql.lit(from)} UNION ALL SELECT i + 1 FROM n WHERE i < ${sql.lit(to)})
    INSERT INTO agent_runs (id, tenant_id, agent_name, status, input_data, output_data, iteration_count, model, strategy,
      parent_run_id, delegation_level, total_input_tokens, total_output_tokens, total_cost_usd, total_cache_read_tokens,
      total_cache_creation_tokens, total_reasoning_tokens, meta, error, last_progress_at, cancel_requested, created_at, updated_at)
    SELECT printf('01BENCH%019d', i), 'tenant_' || (i % 20), 'Agent' || (i % 5),
      CASE WHEN i % 50 = 0 THEN 'error' WHEN i % 200 = 1 THEN 'waiting_approval' WHEN i % 1000 = 2 THEN 'running' ELSE 'success' END,
      '{"input": "Summarise the quarterly report for the north-east region and list three follow-ups."}',
      '{"answer": "Revenue grew 4% quarter on quarter; follow-ups: pricing review, churn interviews, hiring plan."}',
      3, 'mock', 'NativeToolCalling',
      CASE WHEN i % 20 = 19 THEN printf('01BENCH%019d', i - 1) END, CASE WHEN i % 20 = 19 THEN 1 ELSE 0 END,
      120 + i % 7, 40 + i % 11, 0.0012, 0, 0, 0,
      '{"thread_id": "t_' || (i % ${sql.lit(threads)}) || '", "user_id": "u_' || (i % 97) || '", "dendrux.loop": "ReActLoop"}',
      CASE WHEN i % 50 = 0 THEN 'boom' END,
      strftime('%Y-%m-%d %H:%M:%f', ${sql.lit(base)} + i / 2, 'unixepoch') || '000', 0,
      strftime('%Y-%m-%d %H:%M:%f', ${sql.lit(base)} + i / 2, 'unixepoch') || '000',
      strftime('%Y-%m-%d %H:%M:%f', ${sql.lit(base)} + i / 2, 'unixepoch') || '000'
    FROM n`.execute(db);
  await sql`
    WITH RECURSIVE n(i) AS (SELECT ${sql.lit(from)} UNION ALL SELECT i + 1000 FROM n WHERE i + 1000 <= ${sql.lit(to)}),
      s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 19)
    INSERT INTO run_events (id, agent_run_id, event_type, sequence_index, iteration_index, correlation_id, data, created_at)
    SELECT printf('01EVENT%014d%05d', i, k), printf('01BENCH%019d', i), CASE k WHEN 0 THEN 'run.started' WHEN 19 THEN 'run.completed' ELSE 'llm.completed' END,
      k, k / 2, NULL, '{"k": ' || k || ', "note": "synthetic event"}', strftime('%Y-%m-%d %H:%M:%f', ${sql.lit(base)} + i / 2, 'unixepoch') || '000'
    FROM n, s`.execute(db);
}

async function seedPostgres(db: Kysely<Database>, from: number, to: number, base: number, threads: number): Promise<void> {
  await sql`
    INSERT INTO agent_runs (id, tenant_id, agent_name, status, input_data, output_data, iteration_count, model, strategy,
      parent_run_id, delegation_level, total_input_tokens, total_output_tokens, total_cost_usd, total_cache_read_tokens,
      total_cache_creation_tokens, total_reasoning_tokens, meta, error, last_progress_at, cancel_requested, created_at, updated_at)
    SELECT '01BENCH' || lpad(i::text, 19, '0'), 'tenant_' || (i % 20), 'Agent' || (i % 5),
      CASE WHEN i % 50 = 0 THEN 'error' WHEN i % 200 = 1 THEN 'waiting_approval' WHEN i % 1000 = 2 THEN 'running' ELSE 'success' END,
      '{"input": "Summarise the quarterly report for the north-east region and list three follow-ups."}'::json,
      '{"answer": "Revenue grew 4% quarter on quarter; follow-ups: pricing review, churn interviews, hiring plan."}'::json,
      3, 'mock', 'NativeToolCalling',
      CASE WHEN i % 20 = 19 THEN '01BENCH' || lpad((i - 1)::text, 19, '0') END, CASE WHEN i % 20 = 19 THEN 1 ELSE 0 END,
      120 + i % 7, 40 + i % 11, 0.0012, 0, 0, 0,
      json_build_object('thread_id', 't_' || (i % ${threads}), 'user_id', 'u_' || (i % 97), 'dendrux.loop', 'ReActLoop'),
      CASE WHEN i % 50 = 0 THEN 'boom' END,
      to_timestamp(${base} + i / 2), false, to_timestamp(${base} + i / 2), to_timestamp(${base} + i / 2)
    FROM generate_series(${from}::int, ${to}::int) AS i`.execute(db);
  await sql`
    INSERT INTO run_events (id, agent_run_id, event_type, sequence_index, iteration_index, correlation_id, data, created_at)
    SELECT '01EVENT' || lpad(i::text, 14, '0') || lpad(k::text, 5, '0'), '01BENCH' || lpad(i::text, 19, '0'),
      CASE k WHEN 0 THEN 'run.started' WHEN 19 THEN 'run.completed' ELSE 'llm.completed' END,
      k, k / 2, NULL, json_build_object('k', k, 'note', 'synthetic event'), to_timestamp(${base} + i / 2)
    FROM generate_series(${from}::int, ${to}::int, 1000) AS i, generate_series(0, 19) AS k`.execute(db);
}

/**
 * Where the benchmarks keep a seeded database between runs: a SQLite file
 * under `dir`, or a PostgreSQL database `bench_<size>_read` beside the admin
 * URL's (created when missing).
 */
export async function benchDatabase(kind: "sqlite" | "postgres", total: number, dir: string, pgAdminUrl?: string): Promise<string> {
  const size = total >= 1_000_000 && total % 1_000_000 === 0 ? `${total / 1_000_000}m` : total % 1000 === 0 ? `${total / 1000}k` : String(total);
  if (kind === "sqlite") return `sqlite:///${dir}/runs-${size}.db`;
  if (!pgAdminUrl) throw new Error("PostgreSQL needs DENDRUX_TEST_POSTGRES_URL.");
  const name = `bench_${size}_read`;
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export const sqliteFileOf = (url: string) => url.replace(/^sqlite:\/\/\//, "");
export const hasFile = (url: string) => existsSync(sqliteFileOf(url));

/**
 * Reads a seeded database's files into the OS page cache, so every route is
 * measured against a warm cache (as on a database server whose memory holds
 * its working set) whatever ran before it: a VM that pages out file cache
 * idle for a minute would otherwise measure disk reads for whichever route
 * touches data the previous one did not.
 */
export async function warmDatabase(databaseUrl: string): Promise<void> {
  if (databaseUrl.startsWith("sqlite:")) {
    for (const file of [sqliteFileOf(databaseUrl), `${sqliteFileOf(databaseUrl)}-wal`]) {
      if (!existsSync(file)) continue;
      const stream = createReadStream(file, { highWaterMark: 8 << 20 });
      for await (const _ of stream) {
        // Reading is the point.
      }
    }
    return;
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("CREATE EXTENSION IF NOT EXISTS pg_prewarm");
    await client.query(`
      SELECT pg_prewarm(c.oid::regclass, 'read') FROM pg_class c
      WHERE c.relname IN ('agent_runs', 'run_events')
         OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN ('agent_runs'::regclass, 'run_events'::regclass))`);
  } finally {
    await client.end();
  }
}
