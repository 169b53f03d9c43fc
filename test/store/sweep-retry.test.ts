import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "kysely";
import { z } from "zod";
import { Agent, RunAlreadyTerminalError, ValidationError, sweep, tool, type AnyTool } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, withDatabase, type TestDatabase } from "../support/backends.js";
import { add, deferred, readRange } from "../support/tools.js";

describeEachBackend("sweep and retry", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  const agents: Agent[] = [];
  beforeAll(async () => {
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await store.close();
    await database.cleanup();
  });
  const agent = (script: ConstructorParameters<typeof MockLLM>[0], tools: AnyTool[] = [add, readRange]) => {
    const a = new Agent({ name: "Sweepy", provider: new MockLLM(script), prompt: "p", tools, databaseUrl: database.url });
    agents.push(a);
    return a;
  };

  /** Moves a run's clocks back, as if it had been idle for `ms`. */
  async function age(runId: string, ms: number) {
    await withDatabase(database.url, async (db, adapter) => {
      const past = adapter.timestamp(new Date(Date.now() - ms));
      await sql`UPDATE agent_runs SET last_progress_at = ${past}, updated_at = ${past}, created_at = ${past} WHERE id = ${runId}`.execute(db);
    });
  }

  it("finalizes stale running runs and abandoned pauses, with their events", async () => {
    const entered = deferred();
    const never = new Promise<never>(() => undefined);
    const hang = tool({ name: "hang", description: "", parameters: z.object({}), execute: () => (entered.resolve(), never) });
    const stuck = agent([{ toolCalls: [{ name: "hang" }] }], [hang]);
    void stuck.run("go").catch(() => undefined);
    await entered.promise;
    const [running] = await store.listRuns({ status: "running" });
    const paused = await agent([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }]).run("go");
    const fresh = await agent([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }]).run("go");
    await age(running!.runId, 3_600_000);
    await age(paused.runId, 3_600_000);

    expect(await sweep({ databaseUrl: database.url })).toEqual({ staleRunning: [], abandonedWaiting: [] });
    const result = await sweep({ databaseUrl: database.url, staleRunningMs: 60_000, abandonedWaitingMs: 60_000 });
    expect(result.staleRunning.map((r) => [r.runId, r.failureReason, r.previousStatus])).toEqual([[running!.runId, "stale_running", "running"]]);
    expect(result.abandonedWaiting.map((r) => [r.runId, r.failureReason, r.previousStatus])).toEqual([[paused.runId, "abandoned_waiting", "waiting_client_tool"]]);
    expect(await store.getRun(running!.runId)).toMatchObject({ status: "error", failureReason: "stale_running", error: "Run swept as stale_running" });
    expect(await store.getRun(paused.runId)).toMatchObject({ status: "error", failureReason: "abandoned_waiting", error: null });
    expect(await store.getRun(fresh.runId)).toMatchObject({ status: "waiting_client_tool" });
    const events = await store.getEvents(running!.runId);
    expect(events.at(-1)).toMatchObject({ eventType: "run.interrupted", data: { failure_reason: "stale_running" }, sequenceIndex: events.length - 1 });
    expect((await store.getEvents(paused.runId)).at(-1)).toMatchObject({ eventType: "run.abandoned", data: { failure_reason: "abandoned_waiting" } });
    const callId = paused.pendingToolCalls![0]!.id;
    const submit = agents[1]!.submitToolResults(paused.runId, [{ name: "read_range", callId, payload: "1" }]);
    await expect(submit).rejects.toBeInstanceOf(RunAlreadyTerminalError);
    await expect(submit).rejects.toThrow(`Run '${paused.runId}' was abandoned (swept as expired waiting run). It cannot be resumed.`);
    await expect(agents[1]!.submitInput(running!.runId, "hello")).rejects.toThrow(`Run '${running!.runId}' was swept as stale (stale_running). It cannot be resumed.`);
    await expect(sweep({ databaseUrl: database.url, staleRunningMs: -5 })).rejects.toBeInstanceOf(ValidationError);
  });

  it("a run row with no progress stamp and no run.started is swept as never_started, by its creation time", async () => {
    const id = "01NEVERSTARTED000000000000";
    await withDatabase(database.url, async (db, adapter) => {
      const old = adapter.timestamp(new Date(Date.now() - 3_600_000));
      await db
        .insertInto("agent_runs")
        .values({
          id, agent_name: "Crashed", status: "running", iteration_count: 0, delegation_level: 0,
          total_input_tokens: 0, total_output_tokens: 0, total_cache_read_tokens: 0, total_cache_creation_tokens: 0,
          total_reasoning_tokens: 0, cancel_requested: adapter.bool(false), last_progress_at: null, created_at: old, updated_at: old,
        } as never)
        .execute();
    });

    // only the abandoned-waiting sweep: running rows are left alone
    expect((await sweep({ databaseUrl: database.url, abandonedWaitingMs: 60_000 })).staleRunning).toEqual([]);
    expect((await store.getRun(id))!.status).toBe("running");

    const { staleRunning } = await sweep({ databaseUrl: database.url, staleRunningMs: 60_000 });
    expect(staleRunning.filter((r) => r.runId === id)).toMatchObject([{ agentName: "Crashed", failureReason: "never_started", previousStatus: "running" }]);
    expect(await store.getRun(id)).toMatchObject({ status: "error", failureReason: "never_started", error: "Run swept as never_started" });
    expect(await store.getEvents(id)).toMatchObject([{ eventType: "run.interrupted", sequenceIndex: 0, data: { failure_reason: "never_started" } }]);
  });

  it("a run swept while it is still alive stops at its next write: nothing after run.interrupted, run() rejects", async () => {
    const entered = deferred();
    const release = deferred();
    const slow = tool({ name: "slow", description: "", parameters: z.object({}), execute: async () => (entered.resolve(), await release.promise, "ok") });
    const live = agent([{ toolCalls: [{ name: "slow" }] }, "done"], [slow]);
    const pending = live.run("go");
    await entered.promise;
    const [row] = await store.listRuns({ status: "running", agentName: "Sweepy" });
    await age(row!.runId, 3_600_000);
    const swept = await sweep({ databaseUrl: database.url, staleRunningMs: 60_000 });
    expect(swept.staleRunning.map((r) => r.runId)).toContain(row!.runId);
    release.resolve();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunAlreadyTerminalError);
    expect(error).toMatchObject({ runId: row!.runId, currentStatus: "error", failureReason: "stale_running" });
    const events = await store.getEvents(row!.runId);
    expect(events.map((e) => e.sequenceIndex)).toEqual(events.map((_, i) => i));
    expect(events.map((e) => e.eventType)).toEqual(["run.started", "llm.completed", "run.interrupted"]);
    expect(await store.getToolInvocations(row!.runId)).toEqual([]);
    // The sweep won: the row keeps its error.
    expect((await store.getRun(row!.runId))!.status).toBe("error");
  });

  it("a stream abandoned after a sweep ended its run still reports run_finished(cancelled) and leaves the row alone", async () => {
    const finished: string[] = [];
    const stream = agent(["never called"]).stream("go", { notifier: { onRunFinished: (_id, r) => void finished.push(r.status) } });
    for await (const event of stream) {
      if (event.type !== "run_started") continue;
      await age(stream.runId, 3_600_000);
      expect((await sweep({ databaseUrl: database.url, staleRunningMs: 60_000 })).staleRunning.map((r) => r.runId)).toContain(stream.runId);
      break;
    }
    expect(finished).toEqual(["cancelled"]);
    expect(await store.getRun(stream.runId)).toMatchObject({ status: "error", failureReason: "stale_running" });
    expect((await store.getEvents(stream.runId)).map((e) => e.eventType)).toEqual(["run.started", "run.interrupted"]);
  });

  it("retries a finished run from its recorded conversation", async () => {
    const first = agent([{ toolCalls: [{ name: "add", params: { a: 2, b: 3 } }] }, new Error("provider down")]);
    await expect(first.run("2+3?")).rejects.toThrow("provider down");
    const [failed] = await store.listRuns({ status: "error", agentName: "Sweepy" });
    const llm = new MockLLM(["5"]);
    const retrier = new Agent({ name: "Sweepy", provider: llm, prompt: "p", tools: [add, readRange], databaseUrl: database.url });
    agents.push(retrier);
    const retried = await retrier.retry(failed!.runId, { metadata: { thread_id: "t9" } });
    expect(retried).toMatchObject({ status: "success", answer: "5" });
    expect(llm.calls[0]!.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
    expect(llm.calls[0]!.messages[2]).toMatchObject({ content: "5", name: "add" });
    const events = await store.getEvents(retried.runId);
    expect(events[0]!.data).toEqual({ agent_name: "Sweepy", system_prompt: "p", retry_of: failed!.runId });
    const traces = await store.getTraces(retried.runId);
    expect(traces.map((t) => [t.role, t.orderIndex])).toEqual([["assistant", 0]]);
    expect((await store.getRun(retried.runId))!.inputData).toEqual({ input: "2+3?" });
    await expect(retrier.retry("nope")).rejects.toThrow("not found");
    await expect(retrier.retry((await store.listRuns({ status: "waiting_client_tool" }))[0]!.runId)).rejects.toThrow("only terminal runs");
  });
});
