/**
 * Side-by-side benchmark: the same 5-turn tool loop against a scripted model, run by
 * dendrux-ts (this repository's dist/), LangGraph.js with its checkpointers and, when
 * DENDRUX_PY names a Python with the reference installed, dendrux (Python) — in memory,
 * on a SQLite file and on PostgreSQL. Every sample is a fresh process; the rounds
 * interleave the implementations so that a noisy moment hits all of them alike.
 * Prints the table and writes docs/benchmarks.md with an SVG chart.
 *
 *   npm install --prefix bench/peers      (once)
 *   npm run bench:peers                   (builds dist/, then runs this)
 *
 * Environment:
 *   DENDRUX_TEST_POSTGRES_URL   admin URL of a PostgreSQL server (PostgreSQL parts are skipped without it)
 *   DENDRUX_PY                  python of a venv with the reference installed (dendrux-py is skipped without it)
 *   BENCH_PEERS_ROUNDS          rounds, one process per implementation and backend each (default 8)
 *   BENCH_PEERS_SAMPLE_MS       timed ms per process before it stops early (default 1500)
 *   BENCH_PEERS_WARMUP_MS       untimed warm-up per process, at least (default 1000)
 *   BENCH_PEERS_RUNS            most timed runs per process (default 100 in memory, 30 persisted)
 *   BENCH_PEERS_COUNT_RUNS      runs for the PostgreSQL commit count (default 20)
 *   BENCH_PEERS_ONLY            comma list of implementations (dendrux-ts, langgraph, langgraph-sync, dendrux-py)
 *   BENCH_PEERS_BACKENDS        comma list of backends (memory, sqlite, postgres)
 *   BENCH_PEERS_WRITE=0         print only; leave docs/ alone
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatMs, groupedBarChartSvg } from "./chart.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

function envNumber(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}
const envList = (name) => process.env[name]?.split(",").map((s) => s.trim()).filter(Boolean);

const ROUNDS = envNumber("BENCH_PEERS_ROUNDS", 8);
const BUDGET_MS = envNumber("BENCH_PEERS_SAMPLE_MS", 1500);
const COUNT_RUNS = envNumber("BENCH_PEERS_COUNT_RUNS", 20);
const RUNS = { memory: envNumber("BENCH_PEERS_RUNS", 100), sqlite: envNumber("BENCH_PEERS_RUNS", 30), postgres: envNumber("BENCH_PEERS_RUNS", 30) };
const WARMUP = { memory: 20, sqlite: 2, postgres: 2 };
// Warm-up also lasts at least this long, so a JIT runtime is measured in its steady state, as a server runs.
const WARMUP_MS = envNumber("BENCH_PEERS_WARMUP_MS", 1000);
const MIN_RUNS = 5;
const ADMIN_URL = process.env.DENDRUX_TEST_POSTGRES_URL;
const PYTHON = process.env.DENDRUX_PY;
const WRITE = process.env.BENCH_PEERS_WRITE !== "0";

const BACKENDS = [
  { id: "memory", label: "in memory" },
  { id: "sqlite", label: "SQLite file" },
  { id: "postgres", label: "PostgreSQL" },
];

const IMPLEMENTATIONS = [
  { id: "dendrux-ts", label: "dendrux-ts", color: "#2563eb", command: [process.execPath, "dendrux-ts.mjs"], backends: ["memory", "sqlite", "postgres"] },
  { id: "langgraph", label: "LangGraph.js", color: "#f59e0b", command: [process.execPath, "langgraph.mjs"], backends: ["memory", "sqlite", "postgres"] },
  { id: "langgraph-sync", label: "LangGraph.js (sync)", color: "#b45309", command: [process.execPath, "langgraph.mjs"], backends: ["sqlite", "postgres"], spec: { durability: "sync" } },
  { id: "dendrux-py", label: "dendrux (Python)", color: "#16a34a", command: [PYTHON, "dendrux_py.py"], backends: ["memory", "sqlite", "postgres"], python: true },
];

// ---------------------------------------------------------------- preconditions

if (!existsSync(join(root, "dist", "index.js"))) fail("dist/ is missing: run `npm run build` at the repository root (npm run bench:peers does).");
if (!existsSync(join(here, "node_modules", "@langchain", "langgraph"))) fail("bench/peers has no node_modules: run `npm install --prefix bench/peers` once.");
if (PYTHON && !existsSync(PYTHON)) fail(`DENDRUX_PY=${PYTHON} does not exist.`);

const onlyImpls = envList("BENCH_PEERS_ONLY");
const onlyBackends = envList("BENCH_PEERS_BACKENDS");
for (const id of onlyImpls ?? []) if (!IMPLEMENTATIONS.some((i) => i.id === id)) fail(`BENCH_PEERS_ONLY: unknown implementation ${JSON.stringify(id)}`);
for (const id of onlyBackends ?? []) if (!BACKENDS.some((b) => b.id === id)) fail(`BENCH_PEERS_BACKENDS: unknown backend ${JSON.stringify(id)}`);

const implementations = IMPLEMENTATIONS.filter((i) => (!i.python || PYTHON) && (!onlyImpls || onlyImpls.includes(i.id)));
const backends = BACKENDS.filter((b) => (b.id !== "postgres" || ADMIN_URL) && (!onlyBackends || onlyBackends.includes(b.id)));
if (!PYTHON) console.log("dendrux (Python): skipped (set DENDRUX_PY to the python of a venv with the reference installed)");
if (!ADMIN_URL) console.log("PostgreSQL: skipped (set DENDRUX_TEST_POSTGRES_URL)");

function fail(message) {
  console.error(message);
  process.exit(2);
}

// ---------------------------------------------------------------- databases

const { default: pg } = await import("pg");
const scratch = mkdtempSync(join(tmpdir(), "dendrux-bench-peers-"));
const pgName = (impl) => `bench_peers_${impl.id.replace(/-/g, "_")}`;

function pgUrl(name, scheme = "postgresql") {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString().replace(/^postgres(ql)?:/, `${scheme}:`);
}

async function admin(fn, database) {
  const client = new pg.Client({ connectionString: database ? pgUrl(database) : ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Where an implementation keeps its state on a backend, in the form it takes. */
function target(impl, backend) {
  if (backend === "memory") return {};
  if (backend === "sqlite") {
    const path = join(scratch, `${impl.id}.db`);
    return { path, url: impl.python ? `sqlite+aiosqlite:///${path}` : `sqlite:///${path}` };
  }
  return { url: pgUrl(pgName(impl), impl.python ? "postgresql+asyncpg" : "postgresql") };
}

function exec(command, args, options = {}) {
  execFileSync(command, args, { cwd: here, stdio: ["ignore", "ignore", "inherit"], ...options });
}

/** A fresh database per implementation, migrated the way each documents it; autovacuum off so the commit count is the workload's alone. */
async function preparePostgres(impl) {
  const name = pgName(impl);
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const { url } = target(impl, "postgres");
  if (impl.id === "dendrux-ts") exec(process.execPath, [join(root, "dist", "cli", "main.js"), "db", "migrate", "--db", url]);
  else if (impl.python) exec(join(dirname(PYTHON), "dendrux"), ["db", "migrate"], { env: { ...process.env, DENDRUX_DATABASE_URL: url } });
  else await sample(impl, "postgres", { setup: true });
  await admin(async (c) => {
    const { rows } = await c.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    for (const { tablename } of rows) await c.query(`ALTER TABLE "${tablename}" SET (autovacuum_enabled = false)`);
  }, name);
}

async function dropPostgres(impl) {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${pgName(impl)} WITH (FORCE)`));
}

/** Committed transactions of a database so far, once no session of it is left to flush its counters. */
async function commitsSoFar(impl) {
  const name = pgName(impl);
  return admin(async (c) => {
    for (let i = 0; i < 200; i++) {
      const { rows } = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await c.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await c.query("SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = $1", [name]);
    return Number(rows[0].n);
  });
}

// ---------------------------------------------------------------- one process sample

function sample(impl, backend, extra = {}) {
  const spec = { backend, ...target(impl, backend), warmup: WARMUP[backend], warmupMs: WARMUP_MS, runs: RUNS[backend], budgetMs: BUDGET_MS, minRuns: MIN_RUNS, ...impl.spec, ...extra };
  const [command, ...args] = impl.command;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, JSON.stringify(spec)], { cwd: here, env: { ...process.env, DENDRUX_LOG: "silent" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.trim().split("\n").at(-1);
      if (code !== 0 || !line) return reject(new Error(`${impl.id} on ${backend} exited with ${code}\n${stderr}${stdout}`));
      resolve(JSON.parse(line));
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// ---------------------------------------------------------------- the run

const started = new Date();
const loadBefore = loadavg();
const cells = backends.flatMap((b) => implementations.filter((i) => i.backends.includes(b.id)).map((impl) => ({ impl, backend: b.id })));
const results = new Map(cells.map((c) => [key(c), { perProcess: [], runs: 0, sqlite: undefined, extra: undefined }]));
function key({ impl, backend }) {
  return `${impl.id}/${backend}`;
}

const pgImpls = backends.some((b) => b.id === "postgres") ? implementations.filter((i) => i.backends.includes("postgres")) : [];
let pgInfo;
const commits = new Map();
try {
  for (const impl of pgImpls) await preparePostgres(impl);
  if (pgImpls.length > 0) {
    pgInfo = await admin(async (c) => {
      const show = async (name) => (await c.query(`SHOW ${name}`)).rows[0][name];
      return { version: await show("server_version"), synchronousCommit: await show("synchronous_commit"), fsync: await show("fsync"), walSyncMethod: await show("wal_sync_method") };
    });
  }

  console.log(`${cells.length} implementation × backend cells, ${ROUNDS} rounds, one fresh process each`);
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    // Interleaved, and rotated each round so no implementation always runs first or last.
    for (let k = 0; k < cells.length; k++) {
      const cell = cells[(k + round) % cells.length];
      const out = await sample(cell.impl, cell.backend);
      const r = results.get(key(cell));
      r.perProcess.push(median(out.samples) / out.iterations);
      r.runs += out.samples.length;
      r.sqlite ??= out.sqlite;
      r.extra ??= { python: out.python, version: out.version };
    }
    console.log(`  round ${round + 1}/${ROUNDS}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  // Commits per iteration on PostgreSQL: a process with one untimed run, then one with
  // one untimed run and COUNT_RUNS more; the difference is COUNT_RUNS runs and nothing else
  // (no time-based warm-up here: it would add a varying number of runs to each process).
  for (const impl of pgImpls) {
    const c0 = await commitsSoFar(impl);
    await sample(impl, "postgres", { warmup: 1, warmupMs: 0, runs: 0 });
    const c1 = await commitsSoFar(impl);
    const out = await sample(impl, "postgres", { warmup: 1, warmupMs: 0, runs: COUNT_RUNS, budgetMs: null });
    const c2 = await commitsSoFar(impl);
    commits.set(impl.id, (c2 - c1 - (c1 - c0)) / (COUNT_RUNS * out.iterations));
  }
} finally {
  for (const impl of pgImpls) await dropPostgres(impl).catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
}
const loadAfter = loadavg();

// ---------------------------------------------------------------- report

const figure = (implId, backend) => {
  const r = results.get(`${implId}/${backend}`);
  return r && r.perProcess.length > 0 ? { median: median(r.perProcess), min: Math.min(...r.perProcess), max: Math.max(...r.perProcess), processes: r.perProcess.length, runs: r.runs } : null;
};
const shownImpls = implementations;
const shownBackends = backends;

function ratioText(implId, backend) {
  const base = figure("dendrux-ts", backend);
  const other = figure(implId, backend);
  if (!base || !other) return "—";
  const ratio = other.median / base.median;
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(1) : ratio.toPrecision(2)}×`;
}

// Console table.
const pad = (s, n) => String(s).padEnd(n);
console.log(`\nms per iteration, median of ${ROUNDS} process medians (lowest–highest process)`);
console.log(pad("", 14) + shownImpls.map((i) => pad(i.label, 26)).join(""));
for (const b of shownBackends) {
  console.log(
    pad(b.label, 14) +
      shownImpls
        .map((i) => {
          const f = figure(i.id, b.id);
          return pad(f ? `${formatMs(f.median)} (${formatMs(f.min)}–${formatMs(f.max)})` : "—", 26);
        })
        .join(""),
  );
}
const others = shownImpls.filter((i) => i.id !== "dendrux-ts");
if (shownImpls.some((i) => i.id === "dendrux-ts") && others.length > 0) {
  console.log("\nratio to dendrux-ts (their ms ÷ ours; above 1× dendrux-ts is faster)");
  console.log(pad("", 14) + others.map((i) => pad(i.label, 26)).join(""));
  for (const b of shownBackends) console.log(pad(b.label, 14) + others.map((i) => pad(ratioText(i.id, b.id), 26)).join(""));
}
if (commits.size > 0) {
  console.log("\nPostgreSQL commits per iteration (pg_stat_database.xact_commit)");
  for (const [id, n] of commits) console.log(`  ${pad(IMPLEMENTATIONS.find((i) => i.id === id).label, 24)} ${n.toFixed(2)}`);
}

if (WRITE) writeDocs();

// ---------------------------------------------------------------- docs/benchmarks.md

function packageVersion(dir) {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
}

function git(...args) {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

function writeDocs() {
  const lc = (name) => packageVersion(join(here, "node_modules", "@langchain", name));
  const commit = git("rev-parse", "--short", "HEAD");
  const dirty = git("status", "--porcelain", "--", "src") !== "";
  const sqliteOf = (id) => results.get(`${id}/sqlite`)?.sqlite;
  const py = results.get("dendrux-py/memory")?.extra ?? results.get("dendrux-py/sqlite")?.extra ?? results.get("dendrux-py/postgres")?.extra;

  const table = [
    `| ms per iteration | ${shownImpls.map((i) => i.label).join(" | ")} |`,
    `| --- | ${shownImpls.map(() => "---:").join(" | ")} |`,
    ...shownBackends.map((b) => {
      const row = shownImpls.map((i) => {
        const f = figure(i.id, b.id);
        return f ? `**${formatMs(f.median)}** (${formatMs(f.min)}–${formatMs(f.max)})` : "—";
      });
      return `| ${b.label} | ${row.join(" | ")} |`;
    }),
  ];
  const ratios =
    others.length > 0 && shownImpls.some((i) => i.id === "dendrux-ts")
      ? [
          `| their ms ÷ dendrux-ts ms | ${others.map((i) => i.label).join(" | ")} |`,
          `| --- | ${others.map(() => "---:").join(" | ")} |`,
          ...shownBackends.map((b) => `| ${b.label} | ${others.map((i) => ratioText(i.id, b.id)).join(" | ")} |`),
        ]
      : [];

  const durability = [];
  durability.push("| | in memory | SQLite file | PostgreSQL |", "| --- | --- | --- | --- |");
  const synchronousName = (level) => (typeof level === "number" ? `${["OFF", "NORMAL", "FULL", "EXTRA"][level] ?? level} (${level})` : level);
  const sqliteText = (id) => {
    const s = sqliteOf(id);
    return s ? `journal_mode=${s.journalMode}, synchronous=${synchronousName(s.synchronous)} (SQLite ${s.version})` : "—";
  };
  const pgText = (extra) => (pgInfo ? `synchronous_commit=${pgInfo.synchronousCommit}${extra}` : "—");
  for (const impl of shownImpls) {
    if (impl.id === "dendrux-ts") durability.push(`| dendrux-ts | no database: runs are not persisted | ${sqliteText(impl.id)}; the audit trail of every step | ${pgText("; the audit trail of every step")} |`);
    if (impl.id === "langgraph") durability.push(`| LangGraph.js | \`MemorySaver\`: checkpoints kept in process memory | \`SqliteSaver\`, ${sqliteText(impl.id)}; durability "async" (the default: a step's checkpoint is written while the next step runs; \`invoke\` returns once all are written) | \`PostgresSaver\`, ${pgText(', durability "async"')} |`);
    if (impl.id === "langgraph-sync") durability.push(`| LangGraph.js (sync) | — | \`SqliteSaver\`, ${sqliteText(impl.id)}; durability "sync" (each checkpoint written before the next step starts) | \`PostgresSaver\`, ${pgText(', durability "sync"')} |`);
    if (impl.id === "dendrux-py") durability.push(`| dendrux (Python) | no state store: runs are not persisted | aiosqlite, ${sqliteText(impl.id)} (the reference sets no pragmas) | asyncpg, ${pgText("")} |`);
  }

  const commitLines =
    commits.size > 0
      ? [
          "| commits per iteration | " + [...commits.keys()].map((id) => IMPLEMENTATIONS.find((i) => i.id === id).label).join(" | ") + " |",
          "| --- | " + [...commits.keys()].map(() => "---:").join(" | ") + " |",
          "| PostgreSQL | " + [...commits.values()].map((n) => n.toFixed(2)).join(" | ") + " |",
        ]
      : ["PostgreSQL was not part of this run."];

  const cpu = cpus();
  const runsPer = (backend) => shownImpls.map((i) => figure(i.id, backend)).filter(Boolean);
  const machine = [
    `- CPU: ${cpu[0]?.model ?? "unknown"}, ${cpu.length} cores; ${(totalmem() / 2 ** 30).toFixed(0)} GiB memory; load average ${loadBefore[0].toFixed(2)} at the start, ${loadAfter[0].toFixed(2)} at the end (a shared machine: treat small differences as noise)`,
    `- Node.js ${process.version}; dendrux-ts ${packageVersion(root)} at ${commit || "unknown commit"}${dirty ? " with uncommitted changes under src/" : ""}`,
    `- LangGraph.js: @langchain/langgraph ${lc("langgraph")}, @langchain/core ${lc("core")}, @langchain/langgraph-checkpoint-sqlite ${lc("langgraph-checkpoint-sqlite")}, @langchain/langgraph-checkpoint-postgres ${lc("langgraph-checkpoint-postgres")}`,
    py ? `- dendrux (Python) ${py.version} on Python ${py.python}` : "- dendrux (Python): not measured in this run (DENDRUX_PY unset)",
    `- SQLite: ${shownImpls.map((i) => (sqliteOf(i.id) ? `${i.label} ${sqliteOf(i.id).version}` : null)).filter(Boolean).join(", ") || "not measured"}`,
    `- PostgreSQL ${pgInfo ? `${pgInfo.version} on the same machine over loopback TCP; fsync=${pgInfo.fsync}, wal_sync_method=${pgInfo.walSyncMethod}, synchronous_commit=${pgInfo.synchronousCommit}` : "not measured"}`,
  ];

  const chartSeries = shownImpls.map((i) => ({
    label: i.label,
    color: i.color,
    values: shownBackends.map((b) => figure(i.id, b.id)?.median ?? null),
    ranges: shownBackends.map((b) => {
      const f = figure(i.id, b.id);
      return f ? [f.min, f.max] : null;
    }),
  }));
  const subtitle = `median of ${ROUNDS} fresh processes per bar, whiskers lowest–highest; ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${started.toISOString().slice(0, 10)}`;
  const svg = groupedBarChartSvg({ title: "ms per iteration of a 5-turn tool loop (lower is faster)", subtitle, unit: "ms per iteration", groups: shownBackends.map((b) => b.label), series: chartSeries });
  mkdirSync(join(root, "docs", "images"), { recursive: true });
  writeFileSync(join(root, "docs", "images", "benchmarks.svg"), svg);

  const md = `# Benchmarks

What dendrux-ts itself costs per step of an agent, measured side by side with
[LangGraph.js](https://github.com/langchain-ai/langgraphjs) and its checkpointers and with
dendrux for Python, on one machine, in one interleaved run. The model is scripted, so
the figures are the runtime and its persistence, not an LLM.

![ms per iteration, lower is faster](images/benchmarks.svg)

${table.join("\n")}

Median of ${ROUNDS} processes per cell, lowest and highest process median in brackets.

${ratios.length > 0 ? `${ratios.join("\n")}\n\nAbove 1× dendrux-ts is faster; below 1× it is slower.\n` : ""}
## Commits per iteration on PostgreSQL

${commitLines.join("\n")}
${commits.size === 0 ? "" : `
Counted by the server: the growth of \`pg_stat_database.xact_commit\` for each
implementation's own database, read after its processes have disconnected (so every
session has flushed its counters). A process doing one run is subtracted from a process
doing one plus ${COUNT_RUNS} runs, so connecting, schema checks and the first run's
setup are left out; autovacuum is off on these throwaway databases so that only the
workload commits. Every transaction counts, read-only ones included.
`}
## Durability of each

${durability.join("\n")}

## Method

- **Workload**: one agent (or compiled graph) with one tool, \`add(a, b)\`. A run is
  5 model turns: the first 4 each call the tool once and get its small result back, the
  5th answers. ms per iteration is a run's wall time divided by 5, measured around
  \`agent.run()\` / \`graph.invoke()\` with the scripted model built beforehand.
- **Models**: dendrux-ts uses its \`MockLLM\` and dendrux (Python) the reference's
  \`MockLLM\`, a fresh script for every run behind the one provider the agent keeps.
  LangGraph.js uses a \`BaseChatModel\` subclass that answers from the conversation (a
  tool call until 4 tool results are in, then the answer); its graph is the standard tool
  loop: an agent node, the prebuilt \`ToolNode\`, \`toolsCondition\` between them. Each
  LangGraph run is a new thread.
- **Processes**: every sample is a fresh process that does untimed warm-up runs (at least ${WARMUP.memory} in memory,
  ${WARMUP.sqlite} persisted, and at least ${WARMUP_MS} ms of them, so V8's JIT is in its steady state as in a
  long-lived server), then up to ${RUNS.memory} timed runs in memory and ${RUNS.sqlite} persisted, stopping early
  after ${BUDGET_MS} ms of timed runs (never fewer than ${MIN_RUNS}); its sample is the median run.
  This run timed ${shownBackends.map((b) => `${runsPer(b.id).reduce((n, f) => n + f.runs, 0)} runs ${b.label}`).join(", ")}.
- **Interleaving**: ${ROUNDS} rounds; each round starts one process per implementation and
  backend, one after another, in an order rotated every round. A cell's figure is the
  median of its ${ROUNDS} process samples.
- **Databases**: each implementation has its own SQLite file and its own PostgreSQL
  database, created fresh for the run and reused by its processes. PostgreSQL is migrated
  beforehand the way each documents it (\`dendrux db migrate\`, \`PostgresSaver.setup()\`,
  the reference's \`dendrux db migrate\`); SQLite schemas are created on first use.
- **In memory** means different things: LangGraph.js still serialises a checkpoint per
  step into its \`MemorySaver\`; the two dendrux versions keep no store at all without a
  database.

## Machine

Measured ${started.toISOString().slice(0, 16).replace("T", " ")} UTC.

${machine.join("\n")}

## Running it

\`\`\`sh
npm install --prefix bench/peers          # once: LangGraph.js and its checkpointers, not dependencies of dendrux
DENDRUX_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
DENDRUX_PY=/path/to/venv/bin/python \\
npm run bench:peers                       # builds dist/, runs every cell, rewrites this page and its chart
\`\`\`

Without \`DENDRUX_TEST_POSTGRES_URL\` PostgreSQL is skipped; without \`DENDRUX_PY\` dendrux
(Python) is. \`BENCH_PEERS_ROUNDS\`, \`BENCH_PEERS_SAMPLE_MS\`, \`BENCH_PEERS_RUNS\`,
\`BENCH_PEERS_ONLY\` and \`BENCH_PEERS_BACKENDS\` scale or narrow the run;
\`BENCH_PEERS_WRITE=0\` prints without touching this page. The scripts are in
\`bench/peers/\`. \`npm run bench\` measures dendrux-ts alone in one process, with the
statements and commits it sends to PostgreSQL per iteration.
`;
  writeFileSync(join(root, "docs", "benchmarks.md"), md);
  console.log("\nwrote docs/benchmarks.md and docs/images/benchmarks.svg");
}
