/**
 * The read router under load: list, detail and events routes over a seeded
 * database of 100,000 and 1,000,000 runs, on SQLite and PostgreSQL. For each
 * route: p50/p99 of sequential requests (one keep-alive connection) and, with
 * autocannon, p50/p99 and requests/s under 32 concurrent connections. The
 * server runs in a child process; databases are seeded once and reused.
 *
 *   BENCH_DATA_DIR=/var/tmp/dendrux-bench npm run bench:http
 *   BENCH_HTTP_RUNS=100000 BENCH_HTTP_BACKENDS=sqlite npm run bench:http
 *   BENCH_HTTP_ROUTES=thread_id npm run bench:http        # only routes whose name contains the text
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { benchDatabase, seedRuns, seededRunId } from "./seed-runs.js";

process.env.DENDRUX_LOG ??= "silent";
const SIZES = (process.env.BENCH_HTTP_RUNS ?? "100000,1000000").split(",").map(Number);
const BACKENDS = (process.env.BENCH_HTTP_BACKENDS ?? "sqlite,postgres").split(",") as ("sqlite" | "postgres")[];
const SEQUENTIAL = Number(process.env.BENCH_HTTP_REQUESTS ?? 200);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const CONNECTIONS = 32;
const THREADS = 1000;
const DATA_DIR = process.env.BENCH_DATA_DIR ?? join(tmpdir(), "dendrux-bench-data");
const pgAdmin = process.env.DENDRUX_TEST_POSTGRES_URL;
const root = join(import.meta.dirname, "..");

interface Route {
  readonly name: string;
  /** The path of request `i` (varied so no answer is served from a warm page alone). */
  path(i: number, total: number): string;
}

const pick = (i: number, n: number) => (i * 7919) % n;
const ROUTES: readonly Route[] = [
  { name: "/runs?limit=50", path: () => "/runs?limit=50" },
  { name: "/runs?status=error&limit=50", path: () => "/runs?status=error&limit=50" },
  { name: "/runs?agent_name=…&limit=50", path: (i) => `/runs?agent_name=Agent${i % 5}&limit=50` },
  { name: "/runs?tenant_id=…&limit=50", path: (i) => `/runs?tenant_id=tenant_${i % 20}&limit=50` },
  { name: "/runs?parent_run_id=…", path: (i, total) => `/runs?parent_run_id=${seededRunId(total - 2 - 20 * pick(i, Math.floor(total / 20)))}&limit=50` },
  { name: "/runs?metadata.thread_id=…&limit=50", path: (i) => `/runs?limit=50&metadata.thread_id=t_${pick(i, THREADS)}` },
  { name: "/runs?limit=50&offset=5000", path: () => "/runs?limit=50&offset=5000" },
  { name: "/runs?limit=50&before=… (5,000 deep)", path: (_, total) => `/runs?limit=50&before=${seededRunId(total - 5001)}` },
  { name: "/runs/:id", path: (i, total) => `/runs/${seededRunId(pick(i, total))}` },
  { name: "/runs/:id/events", path: (i, total) => `/runs/${seededRunId(1000 * pick(i, Math.floor(total / 1000)))}/events` },
];

function startServer(url: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "bench/http-server.ts"), url], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server exited (${code})`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      const port = /port (\d+)/.exec(chunk.toString());
      if (port) resolve({ port: Number(port[1]), child });
    });
  });
}

function get(agent: http.Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, agent }, (res) => {
      res.on("data", () => undefined);
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
  });
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** One keep-alive connection per route (the server closes idle ones between routes). */
async function sequential(port: number, route: Route, total: number): Promise<{ p50: number; p99: number } | null> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < 10; i++) if ((await get(agent, port, route.path(i, total))) !== 200) return null;
    const samples: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const t0 = performance.now();
      await get(agent, port, route.path(i, total));
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
  } finally {
    agent.destroy();
  }
}

async function loaded(port: number, route: Route, total: number): Promise<{ p50: number; p99: number; rps: number; errors: number }> {
  let i = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: route.path(i++, total) }) }],
  });
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, errors: result.non2xx + result.errors };
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
mkdirSync(DATA_DIR, { recursive: true });
for (const backend of BACKENDS) {
  if (backend === "postgres" && !pgAdmin) {
    console.log("PostgreSQL: skipped (set DENDRUX_TEST_POSTGRES_URL)");
    continue;
  }
  for (const total of SIZES) {
    const url = await benchDatabase(backend, total, DATA_DIR, pgAdmin);
    await seedRuns(url, total, { threads: THREADS, log: (line) => console.error(line) });
    const { port, child } = await startServer(url);
    console.log(`\n### ${backend === "sqlite" ? "SQLite" : "PostgreSQL"}, ${total.toLocaleString("en-US")} runs\n`);
    console.log(`| route | sequential p50 ms | sequential p99 ms | ${CONNECTIONS} conn. p50 ms | ${CONNECTIONS} conn. p99 ms | req/s |`);
    console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (const route of ROUTES.filter((r) => r.name.includes(process.env.BENCH_HTTP_ROUTES ?? ""))) {
      const seq = await sequential(port, route, total);
      if (!seq) {
        console.log(`| \`${route.name}\` | n/a | | | | |`);
        continue;
      }
      const load = await loaded(port, route, total);
      const note = load.errors > 0 ? ` (${load.errors} errors)` : "";
      console.log(`| \`${route.name}\` | ${ms(seq.p50)} | ${ms(seq.p99)} | ${load.p50} | ${load.p99} | ${Math.round(load.rps).toLocaleString("en-US")}${note} |`);
    }
    child.stdin!.end();
    await new Promise((r) => child.once("exit", r));
  }
}
