/**
 * Persisted overhead per iteration (SQLite file, PostgreSQL) and the cost of
 * listing one chat thread among 100,000 runs.
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

/** Inserts `total` runs spread over `threads` thread ids, then times `listRuns` for one thread. */
export async function threadQuery(databaseUrl: string, total: number, threads: number): Promise<number> {
  const target = parseDatabaseUrl(databaseUrl);
  const dialect = createDialect(target);
  const db = await dialect.createKysely();
  if (target.kind === "sqlite") await dialect.prepare(db);
  const a = dialect.adapter;
  const start = Date.now() - total * 1000;
  const batch = 1000;
  for (let offset = 0; offset < total; offset += batch) {
    const rows = Array.from({ length: Math.min(batch, total - offset) }, (_, j) => {
      const i = offset + j;
      const at = a.timestamp(new Date(start + i * 1000));
      return {
        id: `BENCH${String(i).padStart(21, "0")}`,
        tenant_id: null,
        agent_name: "ChatBot",
        status: "success",
        input_data: a.json({ input: "hi" }),
        output_data: a.json({ answer: "hello" }),
        iteration_count: 1,
        model: "mock",
        strategy: "NativeToolCalling",
        parent_run_id: null,
        delegation_level: 0,
        retry_of_run_id: null,
        total_input_tokens: 10,
        total_output_tokens: 5,
        total_cost_usd: 0.0001,
        total_cache_read_tokens: 0,
        total_cache_creation_tokens: 0,
        total_reasoning_tokens: 0,
        meta: a.json({ thread_id: `t_${i % threads}`, user_id: `u_${i % 97}`, "dendrux.loop": "ReActLoop" }),
        pause_data: null,
        pii_mapping: null,
        error: null,
        last_progress_at: at,
        failure_reason: null,
        idempotency_key: null,
        idempotency_fingerprint: null,
        cancel_requested: a.bool(false),
        created_at: at,
        updated_at: at,
      };
    });
    await db.insertInto("agent_runs").values(rows).execute();
  }
  await db.destroy();
  const store = RunStore.fromDatabaseUrl(databaseUrl);
  const query = async () => {
    const runs = await store.listRuns({ metadataFilter: { thread_id: `t_${Math.floor(Math.random() * threads)}` } });
    if (runs.length === 0) throw new Error("no runs found");
  };
  await timeRuns(5, query);
  const samples = await timeRuns(50, query);
  await store.close();
  return median(samples);
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
