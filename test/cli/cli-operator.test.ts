import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pc from "picocolors";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Agent } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { add, readRange, refund } from "../support/tools.js";

// Every check starts a real `dendrux` process (about a second each on a loaded machine).
vi.setConfig({ testTimeout: 60_000 });

const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real bin in a child process; never throws on a non-zero exit. */
async function cli(env: Record<string, string | undefined>, ...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1", ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The same CLI in this process (no terminal): for checks that need many invocations. */
async function inProcess(...args: string[]): Promise<Result> {
  const { main } = await import("../../src/cli/cli.js");
  const capture = () => {
    let text = "";
    const output = { tty: false, colors: pc.createColors(false), line: (t = "") => void (text += `${t}\n`), json: (v: unknown) => void (text += `${JSON.stringify(v)}\n`) };
    return { output, text: () => text };
  };
  const out = capture();
  const err = capture();
  const code = await main(args, out.output, err.output);
  return { code, stdout: out.text(), stderr: err.text() };
}

describe("dendrux CLI: help, version and usage errors", () => {
  const none = { DENDRUX_DATABASE_URL: undefined };

  it("--version and -v print the package version, exit 0", async () => {
    for (const flag of ["--version", "-v"]) expect(await cli(none, flag)).toEqual({ code: 0, stdout: `dendrux ${pkg.version}\n`, stderr: "" });
  });

  it("help and help COMMAND print to stdout, exit 0", async () => {
    const top = await cli(none, "help");
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("usage: dendrux <command> [options]");
    expect(top.stdout).toContain("watch RUN_ID");
    const runs = await cli(none, "help", "runs");
    expect(runs.code).toBe(0);
    expect(runs.stdout).toContain("--thread ID");
    expect((await inProcess("runs", "--help")).stdout).toBe(runs.stdout);
  });

  it("names an unknown command, subcommand or option, exit 2", async () => {
    expect(await cli(none, "frobnicate")).toEqual({ code: 2, stdout: "", stderr: `dendrux: unknown command "frobnicate".\nRun 'dendrux help' for usage.\n` });
    expect(await cli(none, "db", "frobnicate")).toEqual({
      code: 2,
      stdout: "",
      stderr: `dendrux db: unknown db subcommand "frobnicate"; expected migrate or status.\nRun 'dendrux help db' for usage.\n`,
    });
    const option = await cli(none, "runs", "--bogus");
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("dendrux runs: Unknown option '--bogus'");
    expect((await inProcess("help", "nope")).stderr).toContain(`no help for unknown command "nope"`);
  });

  it("runs validates --status, --since and --metadata before opening anything", async () => {
    const status = await cli(none, "runs", "-s", "bogus");
    expect(status.code).toBe(2);
    expect(status.stderr).toContain(`dendrux runs: --status: unknown status "bogus"; expected one of pending, running,`);
    expect((await inProcess("runs", "--since", "yesterday")).stderr).toContain(`--since "yesterday": give a duration`);
    expect((await inProcess("runs", "-m", "novalue")).stderr).toContain(`--metadata "novalue": expected key=value`);
    expect((await inProcess("runs", "-n", "ten")).stderr).toContain(`--limit must be an integer; got "ten".`);
  });

  it("refuses to serve the dashboard beyond loopback without a token", async () => {
    const result = await cli({ DENDRUX_DASHBOARD_TOKEN: undefined }, "dashboard", "--host", "0.0.0.0", "-p", "0");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("dendrux dashboard: refusing to serve the dashboard on 0.0.0.0 without a token");
  });
});

describe("dendrux CLI: read commands never create a database", () => {
  const dir = mkdtempSync(join(tmpdir(), "dendrux-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a missing SQLite file is an error for runs, traces, watch, db status and dashboard; nothing is created", async () => {
    const missing = join(dir, "nonexistent", "dir", "x.db");
    const env = { DENDRUX_DATABASE_URL: `sqlite:///${missing}` };
    for (const args of [["runs"], ["traces", "r1"], ["watch", "r1"], ["db", "status"], ["dashboard", "-p", "0"]]) {
      const result = await cli(env, ...args);
      expect(result, args.join(" ")).toEqual({ code: 1, stdout: "", stderr: `dendrux: No database at ${missing}. Check the path (or DENDRUX_DATABASE_URL / --db); read-only commands never create one.\n` });
    }
    const typo = await cli({}, "dashboard", "--db", join(dir, "typo.db"), "-p", "0");
    expect(typo.stderr).toContain(`No database at ${join(dir, "typo.db")}`);
    expect(existsSync(join(dir, "nonexistent"))).toBe(false);
    expect(existsSync(join(dir, "typo.db"))).toBe(false);
  });
});

describe("dendrux db without a URL", () => {
  const dir = mkdtempSync(join(tmpdir(), "dendrux-cwd-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("migrate and status use ./dendrux.db in the current directory, as the Python CLI does", async () => {
    const tsx = new URL(import.meta.resolve("tsx")).pathname;
    const inDir = async (...args: string[]) => {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
      delete env.DENDRUX_DATABASE_URL;
      return run(process.execPath, ["--import", tsx, join(root, "src/cli/main.ts"), ...args], { cwd: dir, env });
    };
    expect((await inDir("db", "migrate")).stdout).toBe(`SQLite schema ready at ${join(dir, "dendrux.db")}\n`);
    expect(existsSync(join(dir, "dendrux.db"))).toBe(true);
    expect((await inDir("db", "status")).stdout).toBe(`SQLite ${join(dir, "dendrux.db")}: the schema is created automatically on first use (no migrations).\n`);
    expect((await inDir("help", "db")).stdout).toContain("else ./dendrux.db");
  });
});

describeEachBackend("dendrux CLI on a database that is not set up", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await backend.create({ migrate: false });
  });
  afterAll(async () => database.cleanup());

  it("runs says what to do: no file (SQLite) or run migrations (PostgreSQL)", async () => {
    const result = await cli({ DENDRUX_DATABASE_URL: database.url }, "runs");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    if (backend.name === "sqlite") expect(result.stderr).toMatch(/^dendrux: No database at .*runs\.db\./);
    else {
      expect(result.stderr).toContain("dendrux: Dendrux tables not found in the configured database.");
      expect(result.stderr).toContain("dendrux db migrate");
      expect(result.stderr).not.toContain("relation");
    }
    // `db migrate --db` then makes it usable, the flag overriding the environment.
    const migrated = await cli({ DENDRUX_DATABASE_URL: "sqlite:////nonexistent/never.db" }, "db", "migrate", "--db", database.url);
    expect(migrated.code).toBe(0);
    expect(await cli({ DENDRUX_DATABASE_URL: database.url }, "runs")).toEqual({ code: 0, stdout: "No runs found.\n", stderr: "" });
    const status = await cli({ DENDRUX_DATABASE_URL: "sqlite:////nonexistent/never.db" }, "db", "status", "--db", database.url);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(backend.name === "sqlite" ? /^SQLite .*runs\.db: the schema is created automatically/ : /up to date/);
  });
});

describeEachBackend("dendrux CLI over real runs", (backend) => {
  let database: TestDatabase;
  let done: string;
  let approval: string;
  let client: string;
  let other: string;
  const env = () => ({ DENDRUX_DATABASE_URL: "sqlite:////nonexistent/ignored.db" });
  const db = () => ["--db", database.url];

  beforeAll(async () => {
    database = await backend.create();
    const agent = new Agent({
      name: "Support",
      provider: new MockLLM([
        { toolCalls: [{ name: "add", params: { a: 1, b: 2 } }] },
        "It is 3.",
        { toolCalls: [{ name: "refund", params: { id: "1042" } }] },
        { toolCalls: [{ name: "read_range", params: { sheet: "Q3" } }] },
        "hi",
      ]),
      prompt: "p",
      tools: [add, refund, readRange],
      requireApproval: ["refund"],
      databaseUrl: database.url,
    });
    done = (await agent.run("1+2?", { metadata: { thread_id: "t-1", tier: 2 } })).runId;
    approval = (await agent.run("refund 1042", { metadata: { thread_id: "t-1", tier: 3 } })).runId;
    client = (await agent.run("read Q3", { metadata: { thread_id: "t-2" } })).runId;
    other = (await agent.run("hello", { metadata: { thread_id: "t-2", vip: true } })).runId;
    await agent.close();
  });
  afterAll(async () => database.cleanup());

  it("--db overrides DENDRUX_DATABASE_URL; off a terminal the table is tab-separated", async () => {
    const result = await cli(env(), "runs", ...db());
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe("ID\tAgent\tStatus\tIters\tTokens\tCost\tModel\tCreated");
    expect(lines.slice(1).map((l) => l.split("\t")[0])).toEqual([other, client, approval, done]);
    expect(lines[3]!.split("\t").slice(1, 4)).toEqual(["Support", "waiting_approval", "1"]);
  });

  it("filters by status (several), thread, metadata and since; --json prints the wire records", { timeout: 60_000 }, async () => {
    const ids = async (...args: string[]) => ((JSON.parse((await inProcess("runs", ...db(), "--json", ...args)).stdout) as { run_id: string }[]).map((r) => r.run_id));
    const [several, repeated, thread, threadTier, vip, stringTwo, recent, future] = await Promise.all([
      ids("-s", "waiting_approval,waiting_client_tool"),
      ids("-s", "success", "-s", "waiting_approval"),
      ids("--thread", "t-1"),
      ids("--thread", "t-1", "-m", "tier:=2"),
      ids("-m", "vip:=true"),
      ids("-m", "tier=2"),
      ids("--since", "1h"),
      ids("--since", "2999-01-01"),
    ]);
    expect(several).toEqual([client, approval]);
    expect(repeated).toEqual([other, approval, done]);
    expect(thread).toEqual([approval, done]);
    expect(threadTier).toEqual([done]);
    expect(vip).toEqual([other]);
    expect(stringTwo).toEqual([]); // a string never matches the number 2
    expect(recent).toHaveLength(4);
    expect(future).toEqual([]);
    const [first] = JSON.parse((await cli(env(), "runs", ...db(), "--json", "-n", "1")).stdout) as Record<string, unknown>[];
    expect(Object.keys(first!)).toEqual([
      "run_id", "agent_name", "status", "created_at", "updated_at", "iteration_count", "total_input_tokens", "total_output_tokens",
      "total_cache_read_tokens", "total_cache_creation_tokens", "total_cost_usd", "model", "parent_run_id", "delegation_level", "total_reasoning_tokens",
    ]);
  });

  it("--before pages newest first and a full page names the next cursor; an unknown cursor is a usage error", async () => {
    const page = await inProcess("runs", ...db(), "-n", "2");
    const lines = page.stdout.trim().split("\n");
    expect(lines.slice(1, 3).map((l) => l.split("\t")[0])).toEqual([other, client]);
    expect(lines[3]).toBe(`older: dendrux runs --before ${client} (with the same filters)`);
    const next = await inProcess("runs", ...db(), "-n", "2", "--before", client, "--json");
    expect((JSON.parse(next.stdout) as { run_id: string }[]).map((r) => r.run_id)).toEqual([approval, done]);
    const last = await inProcess("runs", ...db(), "-n", "5", "--before", approval);
    expect(last.stdout.trim().split("\n").slice(1)).toHaveLength(1); // one row, and no cursor: the list ends here
    const bad = await inProcess("runs", ...db(), "--before", "01NOPE");
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining(`--before "01NOPE": no run with this id.`)]);
  });

  it("traces shows the assistant's tool calls with arguments, the results and the pauses", async () => {
    const finished = await cli(env(), "traces", ...db(), done);
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain("[1] assistant\n→ add({\"a\":1,\"b\":2})  [");
    expect(finished.stdout).toMatch(/\[2\] tool\n3\n← add ✓/);
    const paused = await cli(env(), "traces", ...db(), approval);
    expect(paused.stdout).toContain("⏸ paused: waiting_approval at ");
    expect(paused.stdout).toMatch(/ {2}pending refund\(\{"id":"1042"\}\) on server {2}\[\w+\]\n {2}still waiting/);
    const json = JSON.parse((await cli(env(), "traces", ...db(), "--json", approval)).stdout) as { run: { run_id: string }; pauses: { reason: string }[] };
    expect(json.run.run_id).toBe(approval);
    expect(json.pauses.map((p) => p.reason)).toEqual(["waiting_approval"]);
  });

  it("watch follows a paused run live and exits when it finishes", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "watch", "--interval", "50", ...db(), client], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (out.includes(text) ? resolve() : undefined);
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          check();
        });
        child.once("exit", (code) => reject(new Error(`watch exited ${code} before "${text}": ${out}`)));
        check();
      });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await seen("run.paused  waiting_client_tool  pending read_range");
    const agent = new Agent({ name: "Support", provider: new MockLLM(["The sheet says 42."]), prompt: "p", tools: [add, refund, readRange], databaseUrl: database.url });
    const pending = JSON.parse((await cli(env(), "traces", ...db(), "--json", client)).stdout) as { pauses: { pending_tool_calls: { id: string }[] }[] };
    await agent.submitToolResults(client, [{ callId: pending.pauses[0]!.pending_tool_calls[0]!.id, name: "read_range", payload: "42" } as never]);
    await agent.close();
    expect(await exited).toBe(0);
    expect(out, out).toContain("run.resumed");
    expect(out).toMatch(/run\.completed {2}success\nsuccess {2}• {2}2 iterations/);
  });

  it("a busy port is one sentence, not a stack trace", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await cli(env(), "dashboard", ...db(), "-p", String(port));
      expect(result).toEqual({ code: 1, stdout: "", stderr: `dendrux: port ${port} on 127.0.0.1 is already in use (another dashboard?). Pick another with --port, e.g. --port ${port + 1}.\n` });
    } finally {
      blocker.close();
    }
  });
});
