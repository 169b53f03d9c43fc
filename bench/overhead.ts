/**
 * Runtime overhead per iteration of a 5-iteration tool loop against MockLLM
 * (so what is measured is dendrux itself): in memory, persisted on a SQLite
 * file and on PostgreSQL (with the statements and commits it sends per
 * iteration); then `listRuns` for one chat thread (newest 50 of its turns)
 * among BENCH_THREAD_RUNS runs (default 100,000), p50 and p95.
 *
 *   npm run bench      (PostgreSQL parts need DENDRUX_TEST_POSTGRES_URL)
 *   BENCH_THREAD_RUNS=1000000 BENCH_DATA_DIR=/var/tmp/bench npm run bench   # seed once, reuse
 *
 * With BENCH_DATA_DIR the thread databases are kept (a SQLite file there, a
 * PostgreSQL database bench_<size>_read) and reused by later runs.
 */
import { z } from "zod";
import { Agent, tool } from "../src/index.js";
import { MockLLM, type MockStep } from "../src/llm/mock/index.js";
import { freshPostgres, freshSqlite, persistedOverhead, postgresTraffic, threadQuery } from "./persisted.js";
import { benchDatabase } from "./seed-runs.js";
import { median, timeRuns } from "./stats.js";

process.env.DENDRUX_LOG ??= "silent";
const ITERATIONS = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const TOTAL_RUNS = Number(process.env.BENCH_THREAD_RUNS ?? 100_000);
const pgAdmin = process.env.DENDRUX_TEST_POSTGRES_URL;
const DATA_DIR = process.env.BENCH_DATA_DIR;
const THREADS = 1000;

/** A database for the thread query: kept under BENCH_DATA_DIR (seeded once), else a fresh one dropped afterwards. */
async function threadDatabase(kind: "sqlite" | "postgres"): Promise<{ url: string; drop: () => Promise<void> }> {
  if (DATA_DIR) return { url: await benchDatabase(kind, TOTAL_RUNS, DATA_DIR, pgAdmin), drop: async () => undefined };
  return kind === "sqlite" ? freshSqlite() : freshPostgres(pgAdmin!);
}
const quantiles = (q: { p50: number; p95: number }) => `p50 ${fmt(q.p50)}, p95 ${fmt(q.p95)}`;

const add = tool({ name: "add", description: "Add.", parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b });

function script(): MockStep[] {
  const steps: MockStep[] = [];
  for (let i = 1; i < ITERATIONS; i++) steps.push({ toolCalls: [{ name: "add", params: { a: i, b: i } }] });
  steps.push("done");
  return steps;
}

async function inMemory(): Promise<number> {
  const once = async () => {
    const agent = new Agent({ provider: new MockLLM(script()), prompt: "p", tools: [add], maxIterations: ITERATIONS });
    await agent.run("go");
  };
  await timeRuns(30, once);
  return median(await timeRuns(RUNS, once)) / ITERATIONS;
}

const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
const memory = await inMemory();
console.log(`in-memory overhead      median ${fmt(memory)} per iteration (${RUNS} runs × ${ITERATIONS} iterations)`);

const sqlite = freshSqlite();
const sqliteIter = await persistedOverhead(sqlite.url, 100);
console.log(`SQLite file (WAL)       median ${fmt(sqliteIter)} per iteration  (${(sqliteIter / memory).toFixed(0)}× in-memory)`);
const sqliteThreads = await threadDatabase("sqlite");
const sqliteQuery = await threadQuery(sqliteThreads.url, TOTAL_RUNS, THREADS);
console.log(`SQLite listRuns(thread) ${quantiles(sqliteQuery)} at ${TOTAL_RUNS.toLocaleString("en-US")} runs`);
await sqlite.drop();
await sqliteThreads.drop();

if (pgAdmin) {
  const pg = await freshPostgres(pgAdmin);
  const pgIter = await persistedOverhead(pg.url, 50);
  console.log(`PostgreSQL              median ${fmt(pgIter)} per iteration  (${(pgIter / sqliteIter).toFixed(1)}× SQLite)`);
  const traffic = await postgresTraffic(pgAdmin, pg.url, 20);
  console.log(`PostgreSQL traffic      ${traffic.statements.toFixed(1)} statements, ${traffic.commits.toFixed(2)} commits per iteration  (sent by the pg driver, BEGIN/COMMIT included)`);
  console.log(`                        ${traffic.serverCommits.toFixed(2)} commits per iteration counted by the server  (pg_stat_database.xact_commit)`);
  await pg.drop();
  const pgThreads = await threadDatabase("postgres");
  const pgQuery = await threadQuery(pgThreads.url, TOTAL_RUNS, THREADS);
  console.log(`PostgreSQL listRuns(thread) ${quantiles(pgQuery)} at ${TOTAL_RUNS.toLocaleString("en-US")} runs`);
  await pgThreads.drop();
} else {
  console.log("PostgreSQL: skipped (set DENDRUX_TEST_POSTGRES_URL)");
}
