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

/** Median ms per iteration of a 5-iteration tool loop that writes its full audit trail. */
export async function persistedOverhead(databaseUrl: string, runs: number): Promise<number> {
  const provider = { current: new MockLLM(script()) };
  const proxy = { model: "mock", complete: (r: Parameters<MockLLM["complete"]>[0]) => provider.current.complete(r) };
  const agent = new Agent({ provider: proxy, prompt: "p", tools: [add], maxIterations: ITERATIONS, databaseUrl });
  const once = async () => {
    provider.current = new MockLLM(script());
    await agent.run("go");
  };
  await timeRuns(5, once);
  const samples = await timeRuns(runs, once);
  await agent.close();
  return median(samples) / ITERATIONS;
}

/**
 * Seeds `total` runs spread over `threads` thread ids (unless the database
 * already holds them), then times `listRuns` for one thread, newest 50 first:
 * the median and the 95th percentile of 200 queries, in ms.
 */
export async function threadQuery(databaseUrl: string, total: number, threads: number): Promise<{ p50: number; p95: number }> {
  await seedRuns(databaseUrl, total, { threads });
  const store = RunStore.fromDatabaseUrl(databaseUrl);
  const query = async () => {
    const runs = await store.listRuns({ metadataFilter: { thread_id: `t_${Math.floor(Math.random() * threads)}` }, limit: 50 });
    if (runs.length === 0) throw new Error("no runs found");
  };
  await timeRuns(20, query);
  const samples = (await timeRuns(200, query)).sort((a, b) => a - b);
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
