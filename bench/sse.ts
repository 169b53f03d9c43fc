/**
 * Live SSE at scale: database queries per second and event-to-client latency
 * with 10 and 1,000 concurrent streams (SQLite and PostgreSQL), the same with
 * a writer in another process, and 10,000 events read by viewers that drop
 * and resume with Last-Event-ID. Loopback only; bounded in count and time.
 *
 *   npm run bench:sse        # PostgreSQL too when DENDRUX_TEST_POSTGRES_URL is set
 *   BENCH_SSE_BACKENDS=sqlite npm run bench:sse
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type Kysely, type KyselyPlugin, sql } from "kysely";
import { makeReadRouter } from "../src/http/index.js";
import { parseDatabaseUrl } from "../src/store/database-url.js";
import { createDialect } from "../src/store/dialect/create-dialect.js";
import { migratePostgres } from "../src/store/migrate.js";
import { RunStore } from "../src/store/index.js";
import { RunWriter } from "../src/store/run-writer.js";
import type { Database } from "../src/store/schema.js";

const RUNS = 10;
const EVENTS_PER_RUN = 20;
const GAP_MS = 250;
const root = join(import.meta.dirname, "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();

interface Viewer {
  seqs: number[];
  latencies: number[];
  close(): void;
}

/** Reads one stream until `maxFrames` frames or the frame with id `lastId`, then disconnects. */
function view(url: string, lastEventId: number | undefined, maxFrames: number, lastId: number): Viewer & { done: Promise<void> } {
  const controller = new AbortController();
  const viewer = { seqs: [] as number[], latencies: [] as number[], close: () => controller.abort() };
  const done = (async () => {
    const response = await fetch(url, { signal: controller.signal, headers: lastEventId === undefined ? {} : { "last-event-id": String(lastEventId) } });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (\d+)$/m.exec(frame);
        if (!id) continue;
        const data = /^data: (.*)$/m.exec(frame)![1]!;
        const t = /"t": ([\d.]+)/.exec(data);
        if (t) viewer.latencies.push(now() - Number(t[1]));
        viewer.seqs.push(Number(id[1]));
        if (viewer.seqs.length >= maxFrames || Number(id[1]) === lastId) {
          controller.abort();
          return;
        }
      }
    }
  })().catch(() => undefined);
  return Object.assign(viewer, { done });
}

async function openDatabase(kind: "sqlite" | "postgres"): Promise<{ url: string; cleanup: () => Promise<void> } | null> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "dendrux-bench-sse-"));
    return { url: `sqlite:///${join(dir, "runs.db")}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env.DENDRUX_BENCH_POSTGRES_URL ?? process.env.DENDRUX_TEST_POSTGRES_URL;
  if (!admin) return null;
  const { default: pg } = await import("pg");
  const name = `dx_bench_sse_${Date.now().toString(36)}`;
  const run = async (text: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(text);
    await client.end();
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const dialect = createDialect(parseDatabaseUrl(url.toString()));
  const db = await dialect.createKysely();
  const migrated = await migratePostgres(db);
  await db.destroy();
  if (migrated.error) throw migrated.error;
  return { url: url.toString(), cleanup: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function setUp(url: string, kind: "sqlite" | "postgres", pollIntervalMs: number) {
  const dialect = createDialect(parseDatabaseUrl(url));
  const db = await dialect.createKysely();
  await dialect.prepare(db);
  let queries = 0;
  const plugin: KyselyPlugin = { transformQuery: (a) => ((queries += 1), a.node), transformResult: async (a) => a.result };
  const store = RunStore.fromKysely(db.withPlugin(plugin) as Kysely<Database>, kind, { pollIntervalMs, ...(kind === "postgres" ? { listenUrl: url } : {}) });
  const router = makeReadRouter({ store, authorize: () => undefined });
  const server = serve({ fetch: router.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const runIds: string[] = [];
  const stamp = Date.now().toString(36).toUpperCase();
  for (let i = 0; i < RUNS; i++) {
    const id = `01BENCH${stamp}${String(i).padStart(19 - stamp.length, "0")}`;
    const at = dialect.adapter.timestamp(new Date());
    await sql`INSERT INTO agent_runs (id, agent_name, status, iteration_count, delegation_level, total_input_tokens, total_output_tokens, total_cache_read_tokens, total_cache_creation_tokens, total_reasoning_tokens, cancel_requested, created_at, updated_at)
      VALUES (${id}, 'Bench', 'running', 0, 0, 0, 0, 0, 0, 0, ${dialect.adapter.bool(false)}, ${at}, ${at})`.execute(db);
    runIds.push(id);
  }
  return {
    base,
    runIds,
    db,
    adapter: dialect.adapter,
    queries: () => queries,
    close: async () => {
      (server as unknown as { closeAllConnections(): void }).closeAllConnections();
      await new Promise((r) => server.close(r));
      await store.close();
      await db.destroy();
    },
  };
}

/** V viewers (in a child process) over RUNS runs; the writer in this process or another one. */
async function scenario(kind: "sqlite" | "postgres", url: string, viewers: number, writer: "same" | "other") {
  const env = await setUp(url, kind, 500);
  const writers = env.runIds.map((id) => new RunWriter(env.db, env.adapter, id));
  // One event per run first: a viewer counts as connected once it has read it.
  for (const w of writers) await w.emit("bench.ready", {});
  const clients = spawn(process.execPath, ["--import", "tsx", join(root, "bench/sse-clients.ts"), env.base, String(viewers), String(EVENTS_PER_RUN), "30000", ...env.runIds], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((r) => clients.on("exit", r));
  let output = "";
  clients.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  while (!output.includes("READY\n")) await sleep(20);
  await sleep(500);
  const q0 = env.queries();
  const t0 = performance.now();
  if (writer === "same") {
    for (let i = 0; i < EVENTS_PER_RUN; i++) {
      for (const w of writers) await w.emit("bench.tick", { t: now() });
      await sleep(GAP_MS);
    }
  } else {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "bench/sse-writer.ts"), url, String(EVENTS_PER_RUN), String(GAP_MS), ...env.runIds], { cwd: root, stdio: "inherit" });
    await new Promise((r) => child.on("exit", r));
  }
  await exited;
  const seconds = (performance.now() - t0) / 1000;
  const qps = (env.queries() - q0) / seconds;
  const result = JSON.parse(output.split("\n").find((l) => l.startsWith("{"))!) as { p50: number; p99: number; complete: number };
  await env.close();
  return { qps, p50: result.p50, p99: result.p99, complete: result.complete, viewers };
}

/** 10,000 events on one run; viewers drop after a random number of frames and resume with Last-Event-ID. */
async function reconnects(kind: "sqlite" | "postgres", url: string, total: number, viewers: number) {
  const env = await setUp(url, kind, 500);
  const runId = env.runIds[0]!;
  const writing = (async () => {
    const w = new RunWriter(env.db, env.adapter, runId);
    for (let i = 0; i < total; i++) {
      await w.emit("bench.tick", { i });
      if (i % 200 === 199) await sleep(10);
    }
  })();
  let seed = 42;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  let lost = 0;
  let duplicated = 0;
  let sessions = 0;
  await Promise.all(
    Array.from({ length: viewers }, async () => {
      const got: number[] = [];
      while ((got.at(-1) ?? -1) < total - 1) {
        const v = view(`${env.base}/runs/${runId}/events/stream`, got.at(-1), 1 + random(1000), total - 1);
        await v.done;
        got.push(...v.seqs);
        sessions += 1;
      }
      const seen = new Set(got);
      duplicated += got.length - seen.size;
      for (let i = 0; i < total; i++) if (!seen.has(i)) lost += 1;
    }),
  );
  await writing;
  await env.close();
  return { lost, duplicated, sessions };
}

const fmt = (n: number) => n.toFixed(1).padStart(8);
const only = process.env.BENCH_SSE_BACKENDS?.split(",");
for (const kind of (["sqlite", "postgres"] as const).filter((k) => !only || only.includes(k))) {
  const database = await openDatabase(kind);
  if (!database) {
    console.log(`${kind}: skipped (set DENDRUX_TEST_POSTGRES_URL)`);
    continue;
  }
  try {
    console.log(`\n${kind}: ${RUNS} runs, ${EVENTS_PER_RUN} events each, ${GAP_MS} ms apart`);
    console.log("writer         viewers   queries/s   p50 ms   p99 ms   complete");
    for (const writer of ["same", "other"] as const) {
      for (const viewers of [10, 1000]) {
        const r = await scenario(kind, database.url, viewers, writer);
        console.log(`${(writer === "same" ? "this process" : "other process").padEnd(14)} ${String(viewers).padStart(7)} ${fmt(r.qps)}   ${fmt(r.p50)} ${fmt(r.p99)}   ${r.complete}/${r.viewers}`);
      }
    }
    const r = await reconnects(kind, database.url, 10_000, 10);
    console.log(`reconnects: 10000 events, 10 viewers, ${r.sessions} sessions: lost ${r.lost}, duplicated ${r.duplicated}`);
  } finally {
    await database.cleanup();
  }
}
