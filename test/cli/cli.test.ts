import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { add, readRange } from "../support/tools.js";

const exec = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
describeEachBackend("dendrux runs / traces", (backend) => {
  let database: TestDatabase;
  let done: string;
  let paused: string;
  const cli = (...args: string[]) =>
    exec(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: root, env: { ...process.env, DENDRUX_DATABASE_URL: database.url, NO_COLOR: "1" } });

  beforeAll(async () => {
    database = await backend.create();
    const agent = new Agent({
      name: "Support",
      provider: new MockLLM([{ toolCalls: [{ name: "add", params: { a: 1, b: 2 } }] }, "3", { toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }]),
      prompt: "p",
      tools: [add, readRange],
      databaseUrl: database.url,
    });
    done = (await agent.run("1+2?")).runId;
    paused = (await agent.run("read it")).runId;
    await agent.close();
  });
  afterAll(async () => database.cleanup());

  it("lists every status, waiting rows included, newest first", async () => {
    const { stdout } = await cli("runs");
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toBe("ID\tAgent\tStatus\tIters\tTokens\tCost\tModel\tCreated");
    expect(lines[1]).toContain(paused);
    expect(lines[1]).toContain("waiting_client_tool");
    expect(lines[2]).toMatch(new RegExp(`^${done}\tSupport\tsuccess\t2\t30\t—\tmock\t`));
    expect((await cli("runs", "-s", "success")).stdout).not.toContain(paused);
    expect((await cli("runs", "-s", "error")).stdout.trim()).toBe("No runs found.");
  });

  /** Starts `dendrux dashboard` on a free port; resolves with its URL once it serves. */
  async function dashboard(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; stop: () => void }> {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "dashboard", "--db", database.url, "-p", "0", ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", ...env },
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /running at (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on("exit", (code) => reject(new Error(`dashboard exited (${code}): ${out}`)));
    });
    return { url, stop: () => child.kill("SIGTERM") };
  }

  it("dendrux dashboard serves the API and the page", async () => {
    const { url, stop } = await dashboard([]);
    try {
      expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ status: "ok" });
      const runs = (await (await fetch(`${url}/api/runs`)).json()) as { total: number };
      expect(runs.total).toBe(2);
      expect(await (await fetch(`${url}/`)).text()).toContain("Dendrux Dashboard");
    } finally {
      stop();
    }
  });

  it("dendrux dashboard --open hands the URL to the browser opener (BROWSER)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dendrux-open-"));
    const opened = join(dir, "opened.txt");
    // A stand-in browser: records the URL it was asked to open.
    const browser = `${process.execPath} -e require("fs").writeFileSync(process.argv[1],process.argv[2]) ${opened} %s`;
    const { url, stop } = await dashboard(["--open"], { BROWSER: browser });
    try {
      await expect.poll(() => existsSync(opened), { timeout: 10_000 }).toBe(true);
      expect(readFileSync(opened, "utf8")).toBe(url);
      expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ status: "ok" });
    } finally {
      stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows a run's conversation and tool calls", async () => {
    const { stdout } = await cli("traces", "--tools", done);
    expect(stdout).toContain(`Run ${done}`);
    expect(stdout).toContain("Support  •  success  •  2 iterations  •  model: mock  •  30 tokens  •  —");
    expect(stdout).toContain("[0] user\n1+2?");
    expect(stdout).toContain("[2] tool\n3");
    expect(stdout).toMatch(/\nTool\tSuccess\tDuration\tIter\tError\nadd\t✓/);
    const missing = await cli("traces", "nope").catch((e: { stdout: string; code: number }) => e);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stdout.trim()).toBe("Run not found: nope");
  });
});
