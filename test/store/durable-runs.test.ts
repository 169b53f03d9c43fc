import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { sql } from "kysely";
import { z } from "zod";
import {
  Agent,
  Budget,
  ChatMessage,
  InvalidToolResultError,
  NativeToolCalling,
  PauseStatusMismatchError,
  RunAlreadyTerminalError,
  RunNotFoundError,
  RunNotPausedError,
  tool,
} from "../../src/index.js";
import type { AgentStep, LLMResponse, Notifier } from "../../src/index.js";
import { MockLLM, type MockStep } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, withDatabase, type TestDatabase } from "../support/backends.js";
import { add, deferred, lookup, readRange, refund } from "../support/tools.js";

describeEachBackend("durable runs", (backend) => {
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

  function agent(script: MockStep[], options: Partial<ConstructorParameters<typeof Agent>[0]> = {}): Agent {
    const a = new Agent({ name: "Support", provider: new MockLLM(script), prompt: "You help.", tools: [add, lookup, refund, readRange], databaseUrl: database.url, ...options });
    agents.push(a);
    return a;
  }

  async function eventTypes(runId: string): Promise<string[]> {
    const events = await store.getEvents(runId);
    expect(events.map((e) => e.sequenceIndex)).toEqual(events.map((_, i) => i));
    return events.map((e) => e.eventType);
  }

  it("persists a finished tool run: row, events, traces, tool calls, LLM calls", async () => {
    const a = agent([
      { text: "adding", toolCalls: [{ name: "add", params: { a: 1, b: 2 }, providerToolCallId: "toolu_1" }], usage: { inputTokens: 20, outputTokens: 5, costUsd: 0.00123456789 } },
      { text: "3", usage: { inputTokens: 30, outputTokens: 2, reasoningTokens: 1 } },
    ]);
    const result = await a.run("1+2?", { metadata: { thread_id: "t-1", user_id: "u1" }, tenantId: "acme" });
    expect(result.status).toBe("success");
    const run = await store.getRun(result.runId);
    expect(run).toMatchObject({
      agentName: "Support",
      status: "success",
      iterationCount: 2,
      totalInputTokens: 50,
      totalOutputTokens: 7,
      totalCostUsd: 0.001235,
      totalReasoningTokens: 1,
      model: "mock",
      strategy: "NativeToolCalling",
      inputData: { input: "1+2?" },
      answer: "3",
      error: null,
      delegationLevel: 0,
      parentRunId: null,
    });
    expect(run!.createdAt).toBeInstanceOf(Date);
    expect(await eventTypes(result.runId)).toEqual(["run.started", "llm.completed", "tool.completed", "llm.completed", "run.completed"]);
    const events = await store.getEvents(result.runId);
    expect(events[0]!.data).toEqual({ agent_name: "Support", system_prompt: "You help." });
    expect(events[1]!.data).toEqual({
      input_tokens: 20,
      output_tokens: 5,
      cache_read_input_tokens: null,
      cache_creation_input_tokens: null,
      reasoning_tokens: null,
      cost_usd: 0.00123456789,
      model: "mock",
      has_tool_calls: true,
    });
    expect(events[4]!.data).toEqual({ status: "success" });
    const traces = await store.getTraces(result.runId);
    expect(traces.map((t) => [t.role, t.orderIndex])).toEqual([["user", 0], ["assistant", 1], ["tool", 2], ["assistant", 3]]);
    expect(traces[2]!.meta).toMatchObject({ iteration: 1, tool_name: "add" });
    const tools = await store.getToolInvocations(result.runId);
    expect(tools).toMatchObject([{ toolName: "add", target: "server", params: { a: 1, b: 2 }, result: 3, success: true, providerToolCallId: "toolu_1", iteration: 1 }]);
    expect(events[2]!.correlationId).toBe(tools[0]!.toolCallId);
    const llm = await store.getLlmCalls(result.runId);
    expect(llm.map((c) => [c.iteration, c.provider, c.totalTokens])).toEqual([[1, "MockLLM", 25], [2, "MockLLM", 32]]);
    expect(events[1]!.correlationId).toBe(llm[0]!.id);
  });

  it("pauses for a client tool and resumes with submitted results", async () => {
    const a = agent([{ text: "thinking", toolCalls: [{ name: "add", params: { a: 1, b: 2 } }, { name: "read_range", params: { sheet: "S1" } }] }, "done"]);
    const paused = await a.run("go");
    expect(paused.status).toBe("waiting_client_tool");
    const pending = paused.pendingToolCalls!;
    expect(pending.map((c) => c.name)).toEqual(["read_range"]);
    const result = await a.submitToolResults(paused.runId, [{ name: "read_range", callId: pending[0]!.id, payload: '{"rows": 3}' }]);
    expect(result).toMatchObject({ status: "success", answer: "done", iterationCount: 2 });
    expect(await eventTypes(paused.runId)).toEqual([
      "run.started",
      "llm.completed",
      "tool.completed",
      "run.paused",
      "run.resumed",
      "tool.completed",
      "llm.completed",
      "run.completed",
    ]);
    const events = await store.getEvents(paused.runId);
    expect(events[3]!.data).toEqual({ status: "waiting_client_tool", pending_tool_calls: [{ id: pending[0]!.id, name: "read_range", target: "client", params: { sheet: "S1" } }] });
    expect(events[4]!.data).toEqual({ resumed_from: "waiting_client_tool", submitted_results: [{ call_id: pending[0]!.id, name: "read_range", success: true }] });
    expect(events[5]).toMatchObject({ iterationIndex: 1, data: { tool_name: "read_range", target: "client", success: true } });
    const pauses = await store.getPauses(paused.runId);
    expect(pauses).toMatchObject([{ pauseSequenceIndex: 3, resumeSequenceIndex: 4, reason: "waiting_client_tool" }]);
    const traces = await store.getTraces(paused.runId);
    expect(traces.map((t) => t.orderIndex)).toEqual([0, 1, 2, 3, 4]);
  });

  it("approval approve: the timeline the reference writes", async () => {
    const a = agent([{ toolCalls: [{ name: "lookup", params: { id: "o1" } }, { name: "refund", params: { id: "o1" } }] }, "refunded"], { requireApproval: ["refund"] });
    const paused = await a.run("refund o1");
    expect(paused.status).toBe("waiting_approval");
    const result = await a.submitApproval(paused.runId, { approved: true });
    expect(result.status).toBe("success");
    expect(await eventTypes(paused.runId)).toEqual([
      "run.started",
      "llm.completed",
      "approval.requested",
      "run.paused",
      "run.resumed",
      "tool.completed",
      "tool.completed",
      "approval.decided",
      "llm.completed",
      "run.completed",
    ]);
    const events = await store.getEvents(paused.runId);
    expect(events[4]!.data).toEqual({ resumed_from: "waiting_approval" });
    expect(events[7]!.data).toEqual({ decision: "approved", run_id: paused.runId });
  });

  it("approval reject: synthetic failed results with the reason", async () => {
    const llm = new MockLLM([{ toolCalls: [{ name: "refund", params: { id: "o1" } }] }, "ok, not refunding"]);
    const a = new Agent({ name: "Support", provider: llm, prompt: "p", tools: [refund], requireApproval: ["refund"], databaseUrl: database.url });
    agents.push(a);
    const paused = await a.run("refund o1");
    const result = await a.submitApproval(paused.runId, { approved: false, rejectionReason: "Over the limit." });
    expect(result.status).toBe("success");
    expect(llm.calls[1]!.messages.at(-1)).toMatchObject({ role: "tool", content: '"Over the limit."', meta: { is_error: true } });
    const tools = await store.getToolInvocations(paused.runId);
    expect(tools).toMatchObject([{ toolName: "refund", success: false, result: "Over the limit.", error: "Over the limit.", durationMs: 0 }]);
    const events = await store.getEvents(paused.runId);
    expect(events.find((e) => e.eventType === "approval.decided")!.data).toEqual({ decision: "rejected", run_id: paused.runId });
    expect(events.find((e) => e.eventType === "run.resumed")!.data).toMatchObject({ submitted_results: [{ name: "refund", success: false }] });
  });

  it("clarification pause answered with submitInput", async () => {
    class Asking extends NativeToolCalling {
      override parseResponse(response: LLMResponse): AgentStep {
        if (response.text?.endsWith("?")) return { reasoning: null, action: { type: "clarification" as const, question: response.text }, rawResponse: response.text };
        return super.parseResponse(response);
      }
    }
    const a = agent(["Which order?", "Order o7 is shipped."], { strategy: new Asking() });
    const paused = await a.run("where is my order");
    expect(paused).toMatchObject({ status: "waiting_human_input", answer: "Which order?" });
    const result = await a.submitInput(paused.runId, "o7");
    expect(result).toMatchObject({ status: "success", answer: "Order o7 is shipped." });
    const events = await store.getEvents(paused.runId);
    expect(events.find((e) => e.eventType === "run.resumed")!.data).toEqual({ resumed_from: "waiting_human_input", user_input: "o7" });
    expect((await store.getPauses(paused.runId))[0]).toMatchObject({ reason: "waiting_human_input", userInput: "o7", pendingToolCalls: [] });
  });

  it("rejects bad submits with typed errors and leaves the run untouched", async () => {
    const a = agent([{ toolCalls: [{ name: "read_range", params: { sheet: "S1" } }] }, "done"]);
    const paused = await a.run("go");
    const callId = paused.pendingToolCalls![0]!.id;
    const before = await store.getRun(paused.runId);
    const eventsBefore = await store.getEvents(paused.runId);

    await expect(a.submitToolResults("01NOPE0000000000000000000", [])).rejects.toBeInstanceOf(RunNotFoundError);
    await expect(a.submitToolResults(paused.runId, [])).rejects.toThrow(`missing call_ids=['${callId}']`);
    await expect(
      a.submitToolResults(paused.runId, [
        { name: "read_range", callId, payload: "1" },
        { name: "read_range", callId, payload: "1" },
        { name: "x", callId: "other", payload: "1" },
      ]),
    ).rejects.toThrow(`duplicate call_ids=['${callId}']; unexpected call_ids=['other']`);
    await expect(a.submitToolResults(paused.runId, [{ name: "read_range", callId, payload: 42 as never }])).rejects.toBeInstanceOf(InvalidToolResultError);
    await expect(a.submitInput(paused.runId, "hi")).rejects.toBeInstanceOf(PauseStatusMismatchError);
    await expect(a.submitApproval(paused.runId, { approved: true })).rejects.toThrow(
      `Run '${paused.runId}' is waiting_client_tool, but this method requires waiting_approval.`,
    );
    const other = new Agent({ name: "Other", provider: new MockLLM([]), prompt: "p", tools: [readRange], databaseUrl: database.url });
    agents.push(other);
    await expect(other.submitToolResults(paused.runId, [{ name: "read_range", callId, payload: "1" }])).rejects.toThrow(/Agent name mismatch/);

    expect(await store.getRun(paused.runId)).toEqual(before);
    expect(await store.getEvents(paused.runId)).toEqual(eventsBefore);

    await a.submitToolResults(paused.runId, [{ name: "read_range", callId, payload: "1" }]);
    await expect(a.submitToolResults(paused.runId, [{ name: "read_range", callId, payload: "1" }])).rejects.toBeInstanceOf(RunAlreadyTerminalError);
  });

  it("answers RunNotPausedError for a running run", async () => {
    const { promise, resolve } = deferred();
    const { promise: entered, resolve: enter } = deferred();
    const gate = tool({ name: "gate", description: "", parameters: z.object({}), execute: async () => { enter(); await promise; return 1; } });
    const a = agent([{ toolCalls: [{ name: "gate" }] }, "ok"], { tools: [gate] });
    const running = a.run("go");
    await entered;
    const [row] = await store.listRuns({ status: "running", agentName: "Support" });
    await expect(a.submitInput(row!.runId, "x")).rejects.toBeInstanceOf(RunNotPausedError);
    resolve();
    expect((await running).status).toBe("success");
  });

  it("cancels a paused run in one step and is a no-op on finished runs", async () => {
    const a = agent([{ toolCalls: [{ name: "read_range", params: { sheet: "S1" } }] }]);
    const paused = await a.run("go");
    const cancelled = await a.cancelRun(paused.runId);
    expect(cancelled.status).toBe("cancelled");
    expect((await eventTypes(paused.runId)).slice(-2)).toEqual(["run.paused", "run.cancelled"]);
    expect((await store.getEvents(paused.runId)).at(-1)!.data).toEqual({ reason: "cancel_requested" });
    const again = await a.cancelRun(paused.runId);
    expect(again.status).toBe("cancelled");
    expect(await store.getEvents(paused.runId)).toHaveLength(4);
    await expect(a.cancelRun("01NOPE0000000000000000000")).rejects.toBeInstanceOf(RunNotFoundError);
    await expect(a.submitToolResults(paused.runId, [])).rejects.toBeInstanceOf(RunAlreadyTerminalError);
  });

  it("a cancel from another process is seen at the run's next step: it never finishes as success", async () => {
    const { promise: entered, resolve: enter } = deferred();
    const { promise: release, resolve: go } = deferred();
    const slow = tool({ name: "slow", description: "", parameters: z.object({}), execute: async () => { enter(); await release; return "ok"; } });
    const llm = new MockLLM([{ toolCalls: [{ name: "slow" }] }, "never"]);
    const a = new Agent({ name: "Support", provider: llm, prompt: "p", tools: [slow], databaseUrl: database.url, heartbeatMs: 60_000 });
    agents.push(a);
    const pending = a.run("go");
    await entered;
    const [row] = await store.listRuns({ status: "running" });
    // Another agent instance (as another process would) sets the flag.
    const other = new Agent({ name: "Support", provider: new MockLLM([]), prompt: "p", databaseUrl: database.url });
    agents.push(other);
    const flagged = await other.cancelRun(row!.runId);
    expect(flagged.status).toBe("running");
    go();
    const result = await pending;
    // The model's answer came after the cancel: the run ends cancelled, the answer is not kept.
    expect(result).toMatchObject({ status: "cancelled", answer: null });
    expect(await store.getRun(result.runId)).toMatchObject({ status: "cancelled", answer: null });
    expect((await eventTypes(result.runId)).slice(-3)).toEqual(["tool.completed", "llm.completed", "run.cancelled"]);
  });

  it("a cancel from another process stops the run before its next tool starts", async () => {
    const { promise: entered, resolve: enter } = deferred();
    const { promise: release, resolve: go } = deferred();
    let secondRan = 0;
    const slow = tool({ name: "slow", description: "", parameters: z.object({}), execute: async () => { enter(); await release; return "ok"; } });
    const second = tool({ name: "second", description: "", parameters: z.object({}), execute: () => { secondRan++; return "ran"; } });
    const a = new Agent({ name: "Support", provider: new MockLLM([{ toolCalls: [{ name: "slow" }] }, { toolCalls: [{ name: "second" }] }, "never"]), prompt: "p", tools: [slow, second], databaseUrl: database.url, heartbeatMs: 60_000 });
    agents.push(a);
    const pending = a.run("go");
    await entered;
    const [row] = await store.listRuns({ status: "running" });
    const other = new Agent({ name: "Support", provider: new MockLLM([]), prompt: "p", databaseUrl: database.url });
    agents.push(other);
    await other.cancelRun(row!.runId);
    go();
    const result = await pending;
    expect(result.status).toBe("cancelled");
    expect(secondRan).toBe(0);
    const events = await eventTypes(result.runId);
    expect(events.slice(-3)).toEqual(["tool.completed", "llm.completed", "run.cancelled"]);
    expect(await store.getToolInvocations(result.runId)).toMatchObject([{ toolName: "slow" }]);
  });

  it("a cancel that lands during the iteration that would pause ends the run cancelled, never paused", async () => {
    const other = new Agent({ name: "Support", provider: new MockLLM([]), prompt: "p", databaseUrl: database.url });
    agents.push(other);
    // Recorded before its first model call, so the other process can find it while the model answers.
    const a = agent([
      // Another process cancels while the model is answering with a client-side call.
      async (request) => {
        expect((await other.cancelRun(request.runId!)).status).toBe("running");
        return { toolCalls: [{ name: "read_range", params: { sheet: "S1" } }] };
      },
    ], { recordWithinMs: 0 });
    const result = await a.run("go");
    expect(result.status).toBe("cancelled");
    const row = await store.getRun(result.runId);
    expect(row).toMatchObject({ status: "cancelled" });
    expect(await eventTypes(result.runId)).toEqual(["run.started", "llm.completed", "run.cancelled"]);
    await expect(a.submitToolResults(result.runId, [])).rejects.toBeInstanceOf(RunAlreadyTerminalError);
  });

  it("records provider failures as error with run.error", async () => {
    const a = agent([new Error("upstream 500")]);
    await expect(a.run("go")).rejects.toThrow("upstream 500");
    const [row] = await store.listRuns({ status: "error" });
    expect(row).toBeDefined();
    const detail = await store.getRun(row!.runId);
    expect(detail!.error).toBe("upstream 500");
    expect((await store.getEvents(row!.runId)).at(-1)).toMatchObject({ eventType: "run.error", data: { error: "upstream 500" } });
  });

  it("idempotency keys: cached result, conflict, active run", async () => {
    const { IdempotencyConflictError, RunAlreadyActiveError } = await import("../../src/index.js");
    const key = `key-${backend.name}-${Date.now()}`;
    const a = agent(["first answer", "second answer"]);
    const first = await a.run("hello", { idempotencyKey: key });
    const second = await a.run("hello", { idempotencyKey: key });
    expect(second).toMatchObject({ runId: first.runId, status: "success", answer: "first answer" });
    await expect(a.run("different", { idempotencyKey: key })).rejects.toBeInstanceOf(IdempotencyConflictError);
    const b = agent([{ toolCalls: [{ name: "read_range", params: { sheet: "x" } }] }]);
    const pausedKey = `${key}-p`;
    const paused = await b.run("hi", { idempotencyKey: pausedKey });
    await expect(b.run("hi", { idempotencyKey: pausedKey })).rejects.toMatchObject({ name: "RunAlreadyActiveError", runId: paused.runId });
    expect(RunAlreadyActiveError).toBeDefined();
  });

  it("concurrent runs with one idempotency key from separate instances create one run", async () => {
    const key = `race-${backend.name}-${Date.now()}`;
    const release = deferred();
    const slow = tool({ name: "slow", description: "", parameters: z.object({}), execute: async () => (await release.promise, "ok") });
    const racers = Array.from({ length: 4 }, () => agent([{ toolCalls: [{ name: "slow" }] }, "done"], { tools: [slow] }));
    const settled = Promise.allSettled(racers.map((r) => r.run("same question", { idempotencyKey: key })));
    await new Promise((r) => setTimeout(r, 200));
    release.resolve();
    const outcomes = await settled;
    const winners = outcomes.filter((o) => o.status === "fulfilled").map((o) => (o as PromiseFulfilledResult<{ runId: string; status: string }>).value);
    const losers = outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason as { name: string; runId: string });
    const runIds = new Set([...winners.map((w) => w.runId), ...losers.map((l) => l.runId)]);
    expect(runIds.size).toBe(1);
    for (const loser of losers) expect(loser.name).toBe("RunAlreadyActiveError");
    expect(winners.length).toBeGreaterThanOrEqual(1);
    const [runId] = runIds;
    expect(await store.getRun(runId!)).toMatchObject({ status: "success" });
    const rows = await withDatabase(database.url, (db) => sql<{ n: number }>`SELECT count(*) AS n FROM agent_runs WHERE idempotency_key = ${key}`.execute(db));
    expect(Number(rows.rows[0]!.n)).toBe(1);
  });

  it("structured output survives persistence and idempotent replays", async () => {
    const { SingleCall } = await import("../../src/index.js");
    const schema = z.object({ label: z.string() });
    const llm = new MockLLM(['{"label": "positive"}']);
    const a = new Agent({ name: "Classifier", provider: llm, prompt: "p", loop: new SingleCall(), outputType: schema, databaseUrl: database.url });
    agents.push(a);
    const key = `so-${backend.name}-${Date.now()}`;
    const first = await a.run("great", { idempotencyKey: key });
    expect(first.output).toEqual({ label: "positive" });
    const replay = await a.run("great", { idempotencyKey: key });
    expect(replay).toMatchObject({ runId: first.runId, output: { label: "positive" } });
    expect(llm.callsMade).toBe(1);
  });

  it("links delegated child runs to their parent", async () => {
    const url = database.url;
    const child = () => new Agent({ name: "Child", provider: new MockLLM(["child done"]), prompt: "c", databaseUrl: url });
    const delegate = tool({ name: "delegate", description: "", parameters: z.object({}), execute: async () => { const c = child(); try { return (await c.run("sub")).answer; } finally { await c.close(); } } });
    const parent = agent([{ toolCalls: [{ name: "delegate" }] }, "parent done"], { name: "Parent", tools: [delegate] });
    const result = await parent.run("go");
    const children = await store.listRuns({ parentRunId: result.runId });
    expect(children).toMatchObject([{ agentName: "Child", delegationLevel: 1, parentRunId: result.runId, status: "success" }]);
  });

  it("an in-memory parent's persisted children get no link but still count their level, with one warning", async () => {
    vi.stubEnv("DENDRUX_LOG", "");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const url = database.url;
      const childIds: string[] = [];
      const delegate = tool({
        name: "delegate",
        description: "",
        parameters: z.object({}),
        execute: async () => {
          const c = new Agent({ name: "Child", provider: new MockLLM(["child done"]), prompt: "c", databaseUrl: url });
          try {
            const r = await c.run("sub");
            childIds.push(r.runId);
            return r.answer;
          } finally {
            await c.close();
          }
        },
      });
      const parent = new Agent({ name: "Parent", provider: new MockLLM([{ toolCalls: [{ name: "delegate" }, { name: "delegate" }] }, "parent done"]), prompt: "p", tools: [delegate] });
      const result = await parent.run("go");
      expect(result.status).toBe("success");
      expect(childIds).toHaveLength(2);
      for (const id of childIds) expect(await store.getRun(id)).toMatchObject({ parentRunId: null, delegationLevel: 1 });
      const linkWarnings = warn.mock.calls.filter(([m]) => String(m).includes("Delegation link skipped"));
      expect(linkWarnings.map(([m]) => m)).toEqual([`[dendrux] Delegation link skipped for child of run ${result.runId}: parent run is not persisted.`]);
    } finally {
      warn.mockRestore();
      vi.unstubAllEnvs();
    }
  });

  it("a child stored in another database is not linked to its parent, with one warning", async () => {
    vi.stubEnv("DENDRUX_LOG", "");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), "dendrux-other-"));
    try {
      const otherUrl = `sqlite:///${join(dir, "other.db")}`;
      let childId = "";
      const delegate = tool({
        name: "delegate",
        description: "",
        parameters: z.object({}),
        execute: async () => {
          const c = new Agent({ name: "Child", provider: new MockLLM(["child done"]), prompt: "c", databaseUrl: otherUrl });
          try {
            const r = await c.run("sub");
            childId = r.runId;
            return r.answer;
          } finally {
            await c.close();
          }
        },
      });
      const result = await agent([{ toolCalls: [{ name: "delegate" }] }, "parent done"], { name: "Parent", tools: [delegate] }).run("go");
      const otherStore = RunStore.fromDatabaseUrl(otherUrl);
      try {
        expect(await otherStore.getRun(childId)).toMatchObject({ parentRunId: null, delegationLevel: 1, status: "success" });
      } finally {
        await otherStore.close();
      }
      expect(warn.mock.calls.map(([m]) => String(m)).filter((m) => m.includes("Delegation link skipped"))).toEqual([
        `[dendrux] Delegation link skipped for child of run ${result.runId}: parent and child do not share the same state store.`,
      ]);
    } finally {
      warn.mockRestore();
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("notifier hooks pair up on the resume paths: client results and approved tools", async () => {
    const log: string[] = [];
    const notifier: Notifier = {
      onRunStarted: () => void log.push("run_started"),
      onRunFinished: (_id, r) => void log.push(`run_finished:${r.status}`),
      onRunFailed: () => void log.push("run_failed"),
      onLlmCallStarted: (_id, i) => void log.push(`llm_started:${i}`),
      onLlmCallCompleted: (_id, _r, i) => void log.push(`llm_completed:${i}`),
      onToolStarted: (_id, c, i) => void log.push(`tool_started:${c.name}:${i}`),
      onToolCompleted: (_id, c, r, i) => void log.push(`tool_completed:${c.name}:${r.success}:${i}`),
      onGovernanceEvent: (_id, t, i) => void log.push(`governance:${t}:${i}`),
    };
    const client = await agent([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }]).run("go");
    const callId = client.pendingToolCalls![0]!.id;
    await agent(["read"]).submitToolResults(client.runId, [{ callId, name: "read_range", payload: "1,2" }], { notifier });
    expect(log).toEqual(["run_started", "tool_started:read_range:1", "tool_completed:read_range:true:1", "llm_started:2", "llm_completed:2", "run_finished:success"]);

    log.length = 0;
    const gated = await agent([{ toolCalls: [{ name: "refund", params: { id: "A1" } }] }], { requireApproval: ["refund"] }).run("go");
    await agent(["refunded"], { requireApproval: ["refund"] }).submitApproval(gated.runId, { approved: true }, { notifier });
    expect(log).toEqual([
      "run_started", "tool_started:refund:1", "tool_completed:refund:true:1", "governance:approval.decided:1",
      "llm_started:2", "llm_completed:2", "run_finished:success",
    ]);
  });

  it("budget thresholds fire once per run, across a pause", async () => {
    const a = agent(
      [
        { toolCalls: [{ name: "read_range", params: { sheet: "S" } }], usage: { inputTokens: 60, outputTokens: 0 } },
        { text: "done", usage: { inputTokens: 10, outputTokens: 0 } },
      ],
      { budget: new Budget({ maxTokens: 100, warnAt: [0.5] }) },
    );
    const paused = await a.run("go");
    await a.submitToolResults(paused.runId, [{ name: "read_range", callId: paused.pendingToolCalls![0]!.id, payload: "1" }]);
    expect((await eventTypes(paused.runId)).filter((t) => t.startsWith("budget"))).toEqual(["budget.threshold"]);
  });

  it("lists one chat thread with typed metadata filters", async () => {
    const a = agent(["a1", "a2", "a3", "b1"]);
    const history: ChatMessage[] = [];
    for (const text of ["hi", "and?", "bye"]) {
      const r = await a.run(text, { history, metadata: { thread_id: `thread-${backend.name}`, user_id: "u_123", turn: history.length / 2 + 1, vip: true, note: "café" } });
      history.push(ChatMessage.user(text), ChatMessage.assistant(r.answer!));
    }
    await a.run("other", { metadata: { thread_id: "other-thread", user_id: "u_123", turn: "1", vip: 1 } });
    const thread = await store.listRuns({ metadataFilter: { thread_id: `thread-${backend.name}` } });
    expect(thread).toHaveLength(3);
    expect(thread.map((r) => r.status)).toEqual(["success", "success", "success"]);
    expect(await store.countRuns({ metadataFilter: { thread_id: `thread-${backend.name}`, vip: true } })).toBe(3);
    expect(await store.countRuns({ metadataFilter: { vip: 1 } })).toBe(1);
    expect(await store.countRuns({ metadataFilter: { turn: 1 } })).toBe(1);
    expect(await store.countRuns({ metadataFilter: { turn: "1" } })).toBe(1);
    expect(await store.countRuns({ metadataFilter: { note: "café" } })).toBe(3);
    expect(await store.countRuns({ metadataFilter: { missing_key: "x" } })).toBe(0);
    await expect(store.listRuns({ metadataFilter: { "user.id": "x" } })).rejects.toThrow(`metadataFilter keys must match ^[A-Za-z0-9_-]+$; got "user.id"`);
    await expect(store.listRuns({ metadataFilter: { "a'; DROP TABLE agent_runs; --": "x" } })).rejects.toThrow(/keys must match/);
    expect(await store.countRuns()).toBeGreaterThan(3);
  });

  it("filters by status, agent, tenant and time, with pagination", async () => {
    const since = new Date(Date.now() - 1000);
    const a = agent(["x", "y"], { name: "Pager" });
    await a.run("1", { tenantId: "t-pager" });
    await a.run("2", { tenantId: "t-pager" });
    expect(await store.countRuns({ agentName: "Pager" })).toBe(2);
    expect(await store.countRuns({ tenantId: "t-pager", status: ["success", "error"] })).toBe(2);
    expect(await store.countRuns({ agentName: "Pager", status: [] })).toBe(0);
    expect(await store.countRuns({ agentName: "Pager", startedAfter: since })).toBe(2);
    expect(await store.countRuns({ agentName: "Pager", startedBefore: since })).toBe(0);
    const page1 = await store.listRuns({ agentName: "Pager", limit: 1 });
    const page2 = await store.listRuns({ agentName: "Pager", limit: 1, offset: 1 });
    expect(page1[0]!.runId).not.toBe(page2[0]!.runId);
    expect(page1[0]!.createdAt!.getTime()).toBeGreaterThanOrEqual(page2[0]!.createdAt!.getTime());
  });

  it("pages stably through runs created in the same instant", async () => {
    const ids = ["01TIE0000000000000000000A1", "01TIE0000000000000000000B2", "01TIE0000000000000000000C3", "01TIE0000000000000000000D4", "01TIE0000000000000000000E5"];
    await withDatabase(database.url, async (db, adapter) => {
      const instant = adapter.timestamp(new Date("2030-01-01T00:00:00Z"));
      for (const id of ids) {
        await sql`INSERT INTO agent_runs (id, agent_name, status, iteration_count, delegation_level, total_input_tokens, total_output_tokens, total_cache_read_tokens, total_cache_creation_tokens, total_reasoning_tokens, cancel_requested, created_at, updated_at)
          VALUES (${id}, 'Tied', 'success', 0, 0, 0, 0, 0, 0, 0, ${adapter.bool(false)}, ${instant}, ${instant})`.execute(db);
      }
    });
    const pages: string[] = [];
    for (let offset = 0; offset < 6; offset += 2) pages.push(...(await store.listRuns({ agentName: "Tied", limit: 2, offset })).map((r) => r.runId));
    expect(pages).toEqual([...ids].reverse());
    expect(await store.countRuns({ agentName: "Tied" })).toBe(5);
  });

  it("a turn's tool calls read back in the order they ran, even when all of them share one millisecond", async () => {
    const calls = Array.from({ length: 40 }, (_, i) => ({ name: "add", params: { a: i, b: 1 }, providerToolCallId: `toolu_same_ms_${i}` }));
    const a = agent([{ text: "adding", toolCalls: calls }, { text: "done" }]);
    // Only the clock stands still; timers and I/O run for real.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2031-05-05T05:05:05.005Z") });
    let runId: string;
    try {
      runId = (await a.run("add them all")).runId;
    } finally {
      vi.useRealTimers();
    }
    const ranInOrder = (await store.getEvents(runId)).filter((e) => e.eventType === "tool.completed").map((e) => e.correlationId);
    expect(ranInOrder).toHaveLength(40);
    expect((await store.getToolInvocations(runId)).map((t) => t.toolCallId)).toEqual(ranInOrder);
  });

  it("streams events as they are written and stops on abort", async () => {
    const a = agent([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }, "done"]);
    const paused = await a.run("go");
    const controller = new AbortController();
    const seen: string[] = [];
    const consumer = (async () => {
      for await (const event of store.streamEvents(paused.runId, { signal: controller.signal })) {
        seen.push(event.eventType);
        if (event.eventType === "run.completed") controller.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    await a.submitToolResults(paused.runId, [{ name: "read_range", callId: paused.pendingToolCalls![0]!.id, payload: "1" }]);
    await consumer;
    expect(seen).toEqual(["run.started", "llm.completed", "run.paused", "run.resumed", "tool.completed", "llm.completed", "run.completed"]);
    await expect(store.streamEvents("01NOPE0000000000000000000").next()).rejects.toBeInstanceOf(RunNotFoundError);
  });

  it("a stream stopped early finalizes the run cancelled with run.cancelled {}", async () => {
    const a = agent(["a long answer that streams in several chunks"]);
    const stream = a.stream("go");
    for await (const event of stream) if (event.type === "text_delta") break;
    expect((await store.getRun(stream.runId))!.status).toBe("cancelled");
    const events = await store.getEvents(stream.runId);
    expect(events.at(-1)).toMatchObject({ eventType: "run.cancelled", data: {} });
  });

  it("resumeStream continues a pause and streams it", async () => {
    const a = agent([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }, "streamed done"]);
    const paused = await a.run("go");
    const stream = a.resumeStream(paused.runId, { toolResults: [{ name: "read_range", callId: paused.pendingToolCalls![0]!.id, payload: "1" }] });
    const types: string[] = [];
    for await (const e of stream) types.push(e.type);
    // submitted results are recorded before run_resumed and not re-announced as tool_result events
    expect(types[0]).toBe("run_resumed");
    expect(types).not.toContain("tool_result");
    expect(types.at(-1)).toBe("run_completed");
    const lost = a.resumeStream(paused.runId, { toolResults: [] });
    const lostTypes: string[] = [];
    for await (const e of lost) lostTypes.push(e.type);
    expect(lostTypes).toEqual(["run_error"]);
    expect((await store.getRun(paused.runId))!.status).toBe("success");
  });

  it("a resumed stream its reader abandons is cancelled by that instance and still reports run_finished", async () => {
    const paused = await agent([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }]).run("go");
    const finished: string[] = [];
    const notifier: Notifier = { onRunFinished: (_id, r) => void finished.push(r.status) };
    // another instance, as another process would be
    const reader = agent(["never used"]);
    const stream = reader.resumeStream(paused.runId, { toolResults: [{ name: "read_range", callId: paused.pendingToolCalls![0]!.id, payload: "1" }], notifier });
    for await (const event of stream) if (event.type === "run_resumed") break;
    expect(finished).toEqual(["cancelled"]);
    expect((await store.getRun(paused.runId))!.status).toBe("cancelled");
    const types = await eventTypes(paused.runId);
    expect(types.slice(-2)).toEqual(["tool.completed", "run.cancelled"]);
    expect(types.filter((t) => t === "run.cancelled")).toHaveLength(1);
  });

  it("a quick first step is committed with the run: unseen during the first model call, then row, run.started and the step in one commit before the tool", async () => {
    const seenDuringCall: unknown[] = [];
    const seenByTool: string[][] = [];
    const probe = tool({
      name: "probe",
      description: "",
      parameters: z.object({}),
      execute: async (_args, ctx) => {
        const run = await store.getRun(ctx.runId);
        seenByTool.push([run!.status, String(run!.totalInputTokens), ...(await store.getEvents(ctx.runId)).map((e) => e.eventType)]);
        return "ok";
      },
    });
    const a = agent(
      [
        async (request) => {
          seenDuringCall.push(await store.getRun(request.runId!));
          return { toolCalls: [{ name: "probe" }], usage: { inputTokens: 11, outputTokens: 4 } };
        },
        { text: "done", usage: { inputTokens: 5, outputTokens: 1 } },
      ],
      { tools: [probe], recordWithinMs: 60_000 },
    );
    const result = await a.run("go");
    expect(result.status).toBe("success");
    expect(seenDuringCall).toEqual([null]);
    expect(seenByTool).toEqual([["running", "11", "run.started", "llm.completed"]]);
    expect(await store.getRun(result.runId)).toMatchObject({ status: "success", totalInputTokens: 16, totalOutputTokens: 5, iterationCount: 2 });
    expect(await eventTypes(result.runId)).toEqual(["run.started", "llm.completed", "tool.completed", "llm.completed", "run.completed"]);
  });

  it("a run without tools is created finished: status, totals and all its events in its one commit", async () => {
    const a = agent([{ text: "hi", usage: { inputTokens: 7, outputTokens: 3, costUsd: 0.5 } }], { recordWithinMs: 60_000 });
    const result = await a.run("hello", { metadata: { thread_id: "t-one" }, tenantId: "acme" });
    expect(await store.getRun(result.runId)).toMatchObject({ status: "success", totalInputTokens: 7, totalOutputTokens: 3, totalCostUsd: 0.5, iterationCount: 1, tenantId: "acme" });
    expect(await eventTypes(result.runId)).toEqual(["run.started", "llm.completed", "run.completed"]);
  });

  it("a run still in its first model call is recorded within recordWithinMs, so other processes see it", async () => {
    const a = agent(
      [
        async (request) => {
          // Answers only once another reader finds the run (the test times out otherwise).
          while ((await store.getRun(request.runId!)) === null) await new Promise((r) => setTimeout(r, 5));
          return "seen";
        },
      ],
      { recordWithinMs: 20 },
    );
    const result = await a.run("go");
    expect(result.answer).toBe("seen");
    expect(await eventTypes(result.runId)).toEqual(["run.started", "llm.completed", "run.completed"]);
  });

  it("a run is recorded before its id is handed out: a notifier's hooks, a stream's events, an idempotency key", async () => {
    const rowsAtStart: unknown[] = [];
    const notifier: Notifier = { onRunStarted: async (runId) => void rowsAtStart.push((await store.getRun(runId))?.status) };
    await agent(["a"], { recordWithinMs: 60_000 }).run("go", { notifier });
    expect(rowsAtStart).toEqual(["running"]);

    const streamed = agent(["b"], { recordWithinMs: 60_000 }).stream("go");
    for await (const event of streamed) {
      if (event.type === "run_started") rowsAtStart.push((await store.getRun(streamed.runId))?.status);
    }
    expect(rowsAtStart).toEqual(["running", "running"]);

    const keyed = agent([async (request) => ((rowsAtStart.push((await store.getRun(request.runId!))?.status), "c"))], { recordWithinMs: 60_000 });
    await keyed.run("go", { idempotencyKey: "record-first" });
    expect(rowsAtStart).toEqual(["running", "running", "running"]);
  });
});
