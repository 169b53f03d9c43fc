import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");

async function node(script: string, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", join(root, script), ...args], { cwd: root, env: { ...process.env, DENDRUX_LOG: "silent", DENDRUX_OFFLINE: "1" } });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

describeEachBackend("resume from another process", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  beforeAll(async () => {
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
  });
  afterAll(async () => {
    await store.close();
    await database.cleanup();
  });

  it("pauses in one OS process and completes in another, with the reference's timeline", async () => {
    const started = await node("examples/quickstart/start.ts", database.url);
    expect(started).toMatchObject({ status: "waiting_approval", pending: ["refund_order"] });
    expect((await store.getRun(started.runId as string))!.status).toBe("waiting_approval");

    const resumed = await node("examples/quickstart/resume.ts", database.url, started.runId as string);
    expect(resumed).toMatchObject({ runId: started.runId, status: "success" });

    const events = await store.getEvents(started.runId as string);
    expect(events.map((e) => e.sequenceIndex)).toEqual(events.map((_, i) => i));
    expect(events.map((e) => e.eventType)).toEqual([
      "run.started",
      "llm.completed",
      "approval.requested",
      "run.paused",
      "run.resumed",
      "tool.completed",
      "approval.decided",
      "llm.completed",
      "run.completed",
    ]);
    const traces = await store.getTraces(started.runId as string);
    expect(traces.map((t) => t.orderIndex)).toEqual(traces.map((_, i) => i));
  });

  it("a process killed mid-run leaves a running row and a gap-free audit trail", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "test/support/crash-child.ts"), database.url], {
      cwd: root,
      env: { ...process.env, DENDRUX_LOG: "silent", DENDRUX_OFFLINE: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const runId = await new Promise<string>((resolve, reject) => {
      let buffer = "";
      child.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const match = /READY (\w{26})/.exec(buffer);
        if (match) resolve(match[1]!);
      });
      child.on("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const detail = await store.getRun(runId);
    expect(detail!.status).toBe("running");
    const events = await store.getEvents(runId);
    expect(events.map((e) => e.sequenceIndex)).toEqual(events.map((_, i) => i));
    expect(events.map((e) => e.eventType)).toEqual(["run.started", "llm.completed", "tool.completed", "llm.completed"]);
    const traces = await store.getTraces(runId);
    expect(traces.map((t) => t.orderIndex)).toEqual(traces.map((_, i) => i));
    expect(traces.map((t) => t.role)).toEqual(["user", "assistant", "tool", "assistant"]);
  });
});
