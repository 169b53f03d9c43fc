/**
 * Persisted overhead per iteration (SQLite file, PostgreSQL) and the cost of
 * listing one chat thread among many runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { Agent, tool } from "../src/index.js";
import { MockLLM, type MockStep } from "../src/llm/mock/index.js";
import { parseDatabaseUrl } from "../src/store/database-url.js";
import { createDialect } from "../src/store/dialect/create-dialect.js";
import { migratePostgres } from "../src/store/migrate.js";
import { RunStore } from "../src/store/index.js";
import { seedRuns } from "./seed-runs.js";
import { median, timeRuns } from "./stats.js";

const ITERATIONS = 5;
const add = tool({ name: "add", description: "Add.", parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b });

function script(): MockStep[] {
  const steps: MockStep[] = [];
  for (let i = 1; i < ITERATIONS; i++) steps.push({ toolCalls: [{ name: "add", params: { a: i, b: i } }] });
  steps.push("done");
  return steps;
}

/** One agent on `databaseUrl`; `once()` runs the 5-iteration tool loop with a fresh script. */
function loopAgent(databaseUrl: string): { once: () => Promise<void>; close: () => Promise<void> } {
  const provider = { current: new MockLLM(script()) };
  const proxy = { model: "mock", complete: (r: Parameters<MockLLM["complete"]>[0]) => provider.current.complete(r) };
  const agent = new Agent({ provider: proxy, prompt: "p", tools: [add], maxIterations: ITERATIONS, databaseUrl });
  return {
    once: async () => {
      provider.current = new MockLLM(script());
      await agent.run("go");
    },
    close: () => agent.close(),
  };
}

/** Median ms per iteration of a 5-iteration tool loop that writes its full audit trail. */
export async function persistedOverhead(databaseUrl: string, runs: number): Promise<number> {
  const { once, close } = loopAgent(databaseUrl);
  await timeRuns(5, once);
  const samples = await timeRuns(runs, once);
  await close();
  return median(samples) / ITERATIONS;
}

/** Statements and commits per iteration on PostgreSQL; see `postgresTraffic`. */
export interface PostgresTraffic {
  /** `query()` calls the pg driver sent for the counted runs, BEGIN and COMMIT included. */
  readonly statements: number;
  /** Transactions those statements committed: each COMMIT, and each statement sent outside BEGIN … COMMIT. */
  readonly commits: number;
  /**
   * Growth of the database's `pg_stat_database.xact_commit`: every transaction the server
   * committed there, read-only ones included, whoever sent it (a cross-check of `commits`).
   */
  readonly serverCommits: number;
}

/**
 * What the 5-iteration tool loop sends to PostgreSQL per iteration, over `runs` runs.
 * Statements and the commits they make are counted in this process by wrapping pg's
 * `Client.prototype.query` around exactly those runs. Server commits are the server's
 * count for the database: an agent doing one run is subtracted from an agent doing one
 * plus `runs` runs, each read once its connections have closed (a session flushes its
 * counters when it ends), so opening the store and the first run's setup are left out.
 * Autovacuum is turned off on the (throwaway) database's tables so that only the
 * workload commits.
 */
export async function postgresTraffic(adminUrl: string, databaseUrl: string, runs: number): Promise<PostgresTraffic> {
  const { default: pg } = await import("pg");
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = async <T>(fn: (client: InstanceType<typeof pg.Client>) => Promise<T>, url = adminUrl): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  await admin(async (c) => {
    const { rows } = await c.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    for (const { tablename } of rows) await c.query(`ALTER TABLE "${tablename}" SET (autovacuum_enabled = false)`);
  }, databaseUrl);
  const committed = () =>
    admin(async (c) => {
      for (let i = 0; i < 200; i++) {
        const { rows } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
        if (rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await c.query("SELECT pg_stat_clear_snapshot()");
      const { rows } = await c.query<{ n: string }>("SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1", [name]);
      return Number(rows[0]!.n);
    });

  let counting = false;
  let statements = 0;
  let commits = 0;
  const inTransaction = new WeakSet<object>();
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: object, ...args: unknown[]) {
    const text = typeof args[0] === "string" ? args[0] : String((args[0] as { text?: unknown } | undefined)?.text ?? "");
    if (/^\s*(begin|start transaction)\b/i.test(text)) inTransaction.add(this);
    else if (/^\s*(commit|end)\b/i.test(text)) {
      inTransaction.delete(this);
      if (counting) commits++;
    } else if (/^\s*rollback\b/i.test(text)) inTransaction.delete(this);
    else if (counting && !inTransaction.has(this)) commits++;
    if (counting) statements++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  const agentDoing = async (counted: number) => {
    const { once, close } = loopAgent(databaseUrl);
    await once();
    counting = true;
    for (let i = 0; i < counted; i++) await once();
    counting = false;
    await close();
  };
  try {
    const c0 = await committed();
    await agentDoing(0);
    const c1 = await committed();
    await agentDoing(runs);
    const c2 = await committed();
    const iterations = runs * ITERATIONS;
    return { statements: statements / iterations, commits: commits / iterations, serverCommits: (c2 - c1 - (c1 - c0)) / iterations };
  } finally {
    pg.Client.prototype.query = query;
  }
}

/**
 * Seeds `total` runs spread over `threads` thread ids (unless the database
 * already holds them), then times `listRuns` for one thread, newest 50 first:
 * the median and the 95th percentile of 1,000 queries after 200 untimed ones, in ms.
 */
export async function threadQuery(databaseUrl: string, total: number, threads: number): Promise<{ p50: number; p95: number }> {
  await seedRuns(databaseUrl, total, { threads });
  const store = RunStore.fromDatabaseUrl(databaseUrl);
  const query = async () => {
    const runs = await store.listRuns({ metadataFilter: { thread_id: `t_${Math.floor(Math.random() * threads)}` }, limit: 50 });
    if (runs.length === 0) throw new Error("no runs found");
  };
  // Warmed like a server that has been answering for a while (JIT settled, the index's upper levels cached).
  await timeRuns(200, query);
  const samples = (await timeRuns(1000, query)).sort((a, b) => a - b);
  await store.close();
  return { p50: median(samples), p95: samples[Math.floor(samples.length * 0.95)]! };
}

export async function freshPostgres(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const { default: pg } = await import("pg");
  const name = `dx_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await createDialect(parseDatabaseUrl(url.toString())).createKysely();
  const migrated = await migratePostgres(db);
  await db.destroy();
  if (migrated.error) throw migrated.error;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function freshSqlite(): { url: string; drop: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), "dendrux-bench-"));
  return { url: `sqlite:///${join(dir, "bench.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
