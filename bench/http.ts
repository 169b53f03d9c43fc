/**
 * The read router under load: list, detail and events routes over a seeded
 * database of 100,000 and 1,000,000 runs, on SQLite and PostgreSQL. For each
 * route: p50/p99 of sequential requests (one keep-alive connection) and, with
 * autocannon, p50/p99 and requests/s under 32 concurrent connections. The
 * server runs in a child process; databases are seeded once and reused, and
 * their files are read into the OS page cache before each route.
 *
 *   BENCH_DATA_DIR=/var/tmp/dendrux-bench npm run bench:http
 *   BENCH_HTTP_RUNS=100000 BENCH_HTTP_BACKENDS=sqlite npm run bench:http
 *   BENCH_HTTP_ROUTES=thread_id npm run bench:http        # only routes whose name contains the text
 *   DENDRUX_PY=/path/to/venv/bin/python npm run bench:http   # the Python reference's router beside ours
 *
 * With DENDRUX_PY (a Python with the reference, FastAPI and uvicorn installed),
 * the reference's `make_read_router` serves the same database from a uvicorn
 * process, route by route after ours, and the table gains its figures and the
 * ratios. Routes the reference does not have (metadata filters, `before`) are
 * n/a on its side. Sequential samples stop after BENCH_HTTP_REQUESTS requests
 * or BENCH_HTTP_SEQUENTIAL_SECONDS (default 20) seconds, whichever comes first.
 *
 * On Linux each load figure comes with the server's CPU milliseconds per
 * request (plus PostgreSQL's, all its processes) and the CPU steal during it:
 * on a shared virtual machine a neighbour's load slows everything at once,
 * and these say whether a figure moved with the code or with the machine. A
 * timed burst with steal above BENCH_HTTP_MAX_STEAL (default 0.05) is run
 * again, up to BENCH_HTTP_STEAL_RETRIES (default 2) more times, and the one
 * with the least steal is kept. BENCH_HTTP_LIST_CONNECTIONS sets the server
 * store's `listConnections`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { type CpuReading, pidsNamed, startCpuMeter } from "./cpu-meter.js";
import { benchDatabase, seedRuns, seededRunId, warmDatabase } from "./seed-runs.js";

process.env.DENDRUX_LOG ??= "silent";
const SIZES = (process.env.BENCH_HTTP_RUNS ?? "100000,1000000").split(",").map(Number);
const BACKENDS = (process.env.BENCH_HTTP_BACKENDS ?? "sqlite,postgres").split(",") as ("sqlite" | "postgres")[];
const SEQUENTIAL = Number(process.env.BENCH_HTTP_REQUESTS ?? 200);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const WARM_SECONDS = Number(process.env.BENCH_HTTP_WARM_SECONDS ?? 3);
const SEQUENTIAL_SECONDS = Number(process.env.BENCH_HTTP_SEQUENTIAL_SECONDS ?? 20);
const PYTHON = process.env.DENDRUX_PY;
const MAX_STEAL = Number(process.env.BENCH_HTTP_MAX_STEAL ?? 0.05);
const STEAL_RETRIES = Number(process.env.BENCH_HTTP_STEAL_RETRIES ?? 2);
const CONNECTIONS = 32;
const THREADS = 1000;
const DATA_DIR = process.env.BENCH_DATA_DIR ?? join(tmpdir(), "dendrux-bench-data");
const pgAdmin = process.env.DENDRUX_TEST_POSTGRES_URL;
const root = join(import.meta.dirname, "..");

interface Route {
  readonly name: string;
  /** `false` for a route the reference's router does not have. */
  readonly reference?: false;
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
  { name: "/runs?metadata.thread_id=…&limit=50", path: (i) => `/runs?limit=50&metadata.thread_id=t_${pick(i, THREADS)}`, reference: false },
  { name: "/runs?limit=50&offset=5000", path: () => "/runs?limit=50&offset=5000" },
  { name: "/runs?limit=50&before=… (5,000 deep)", path: (_, total) => `/runs?limit=50&before=${seededRunId(total - 5001)}`, reference: false },
  { name: "/runs/:id", path: (i, total) => `/runs/${seededRunId(pick(i, total))}` },
  { name: "/runs/:id/events", path: (i, total) => `/runs/${seededRunId(1000 * pick(i, Math.floor(total / 1000)))}/events` },
];

interface Server {
  readonly port: number;
  readonly child: ChildProcess;
  /** Its database is PostgreSQL (whose processes are metered beside it). */
  readonly postgres: boolean;
}

/** Ours (`bench/http-server.ts`) or, with `python`, the reference's (`bench/http_server_py.py`). */
function startServer(url: string, python?: string): Promise<Server> {
  const child = python
    ? spawn(python, [join(root, "bench/http_server_py.py"), referenceUrl(url)], { cwd: root, stdio: ["pipe", "pipe", "inherit"] })
    : spawn(process.execPath, ["--import", "tsx", join(root, "bench/http-server.ts"), url], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server exited (${code})`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      const port = /port (\d+)/.exec(chunk.toString());
      if (port) resolve({ port: Number(port[1]), child, postgres: !url.startsWith("sqlite") });
    });
  });
}

/** The same database as a SQLAlchemy async URL. */
function referenceUrl(url: string): string {
  if (url.startsWith("sqlite:///")) return `sqlite+aiosqlite:///${url.slice("sqlite:///".length)}`;
  return url.replace(/^postgres(ql)?:\/\//, "postgresql+asyncpg://");
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once("exit", r));
  child.stdin!.end();
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
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
    const deadline = performance.now() + SEQUENTIAL_SECONDS * 1000;
    for (let i = 0; i < SEQUENTIAL && (i < 20 || performance.now() < deadline); i++) {
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

/** 32 connections for `seconds`, after as long again of the same load untimed: JIT and heap settle under load, not in 200 sequential requests. */
async function loaded(server: Server, route: Route, total: number): Promise<Load> {
  const { port } = server;
  let i = 0;
  const burst = (duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: CONNECTIONS,
      duration,
      requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: route.path(i++, total) }) }],
    });
  await burst(WARM_SECONDS);
  let best: Load | null = null;
  for (let attempt = 0; attempt <= STEAL_RETRIES && (best === null || (best.cpu?.steal ?? 0) > MAX_STEAL); attempt++) {
    const stop = startCpuMeter({ server: () => [server.child.pid!], database: () => (server.postgres ? pidsNamed("postgres") : []) });
    const result = await burst(SECONDS);
    const load: Load = {
      p50: result.latency.p50,
      p99: result.latency.p99,
      rps: result.requests.average,
      errors: result.non2xx + result.errors,
      requests: result.requests.total,
      cpu: stop(),
    };
    if (best === null || (load.cpu?.steal ?? 0) < (best.cpu?.steal ?? 0)) best = load;
  }
  return best!;
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
const ratio = (theirs: number, ours: number) => `${(theirs / ours).toFixed(theirs / ours < 10 ? 1 : 0)}×`;
interface Load {
  readonly p50: number;
  readonly p99: number;
  readonly rps: number;
  readonly errors: number;
  readonly requests: number;
  readonly cpu: CpuReading | null;
}
type Figures = { seq: { p50: number; p99: number }; load: Load } | null;

async function measure(url: string, server: Server, route: Route, total: number): Promise<Figures> {
  await warmDatabase(url);
  const seq = await sequential(server.port, route, total);
  if (!seq) return null;
  return { seq, load: await loaded(server, route, total) };
}

/** Server (and PostgreSQL) CPU milliseconds per request under load, then the steal in that interval. */
function cpuCells(load: Load): string {
  if (!load.cpu || load.requests === 0) return "n/a | n/a";
  const perRequest = (seconds: number) => ((seconds * 1000) / load.requests).toFixed(2);
  const { server, database } = load.cpu.seconds;
  const cpu = database! > 0 ? `${perRequest(server!)} + ${perRequest(database!)}` : perRequest(server!);
  return `${cpu} | ${Math.round(load.cpu.steal * 100)}%`;
}

const cells = (f: Figures) =>
  f
    ? `${ms(f.seq.p50)} | ${ms(f.seq.p99)} | ${f.load.p50} | ${f.load.p99} | ${Math.round(f.load.rps).toLocaleString("en-US")}${f.load.errors > 0 ? ` (${f.load.errors} errors)` : ""} | ${cpuCells(f.load)}`
    : "n/a | | | | | |";

mkdirSync(DATA_DIR, { recursive: true });
for (const backend of BACKENDS) {
  if (backend === "postgres" && !pgAdmin) {
    console.log("PostgreSQL: skipped (set DENDRUX_TEST_POSTGRES_URL)");
    continue;
  }
  for (const total of SIZES) {
    const url = await benchDatabase(backend, total, DATA_DIR, pgAdmin);
    await seedRuns(url, total, { threads: THREADS, log: (line) => console.error(line) });
    const ours = await startServer(url);
    const reference = PYTHON ? await startServer(url, PYTHON) : null;
    console.log(`\n### ${backend === "sqlite" ? "SQLite" : "PostgreSQL"}, ${total.toLocaleString("en-US")} runs\n`);
    const head = `sequential p50 ms | sequential p99 ms | ${CONNECTIONS} conn. p50 ms | ${CONNECTIONS} conn. p99 ms | req/s | CPU ms/req | steal`;
    const align = " ---: |".repeat(7);
    if (reference) {
      console.log(`| route | ${head} | reference: ${head} | seq. p50 ratio | req/s ratio |`);
      console.log(`| --- |${align}${align} ---: | ---: |`);
    } else {
      console.log(`| route | ${head} |`);
      console.log(`| --- |${align}`);
    }
    for (const route of ROUTES.filter((r) => r.name.includes(process.env.BENCH_HTTP_ROUTES ?? ""))) {
      const mine = await measure(url, ours, route, total);
      if (!reference) {
        console.log(`| \`${route.name}\` | ${cells(mine)} |`);
        continue;
      }
      const theirs = route.reference === false ? null : await measure(url, reference, route, total);
      const ratios = mine && theirs ? `${ratio(theirs.seq.p50, mine.seq.p50)} | ${ratio(mine.load.rps, theirs.load.rps)}` : "n/a | n/a";
      console.log(`| \`${route.name}\` | ${cells(mine)} | ${cells(theirs)} | ${ratios} |`);
    }
    await stopServer(ours.child);
    if (reference) await stopServer(reference.child);
  }
}
