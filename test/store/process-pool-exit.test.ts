import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";

const ROOT = join(import.meta.dirname, "..", "..");
const CHILD = join(import.meta.dirname, "support", "process-pool-child.ts");

/** Runs the child to its natural end: no kill, no timer; the test's own timeout is the only bound. */
function runToExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describeEachBackend("a script on DENDRUX_DATABASE_URL alone", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await backend.create();
  }, 60_000);
  afterAll(async () => database?.cleanup());

  it("ends on its own once its work is done: the process-wide pool, never closed, does not hold it open", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DENDRUX_DATABASE_URL: database.url, DENDRUX_LOG: "silent" };
    const { code, signal, stdout, stderr } = await runToExit(env);
    expect({ code, signal }, stderr).toEqual({ code: 0, signal: null });
    expect(stdout).toContain("success success stored=success");
    // Nothing of the pool is left keeping the event loop alive when the script's work ends.
    expect(stdout).toContain("alive: []");
  }, 60_000);
});
