import { afterEach, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import { Agent, tool } from "../../src/index.js";
import { IdempotencyConflictError, InvalidToolResultError, RunAlreadyTerminalError } from "../../src/errors/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { loadGolden, loadReferenceDatabase } from "./reference-fixtures.js";

/** The reference's fixture tools, redefined here: a resuming agent needs the same name and tools, never the code. */
const executed: string[] = [];
const lookupOrder = tool({
  name: "lookup_order",
  description: "Look up an order by id.",
  parameters: z.object({ order_id: z.string() }),
  execute: ({ order_id }) => (executed.push(`lookup_order:${order_id}`), { order_id, status: "delivered" }),
});
const refundOrder = tool({
  name: "refund_order",
  description: "Refund an order.",
  parameters: z.object({ order_id: z.string(), amount: z.number() }),
  execute: ({ order_id, amount }) => (executed.push(`refund_order:${order_id}`), { order_id, refunded: amount }),
});
const readFile = tool({
  name: "read_file",
  description: "Read a file on the user's machine.",
  parameters: z.object({ path: z.string() }),
  target: "client",
});

function supportAgent(url: string, script: ConstructorParameters<typeof MockLLM>[0]): Agent {
  return new Agent({
    name: "Support",
    provider: new MockLLM(script),
    prompt: "You are a support agent.",
    tools: [lookupOrder, refundOrder, readFile],
    requireApproval: ["refund_order"],
    databaseUrl: url,
  });
}

/** `sequence_index` 0..n-1 and `order_index` 0..m-1 with no gap or repeat: one log, two writers. */
async function expectContiguousLog(store: RunStore, runId: string): Promise<string[]> {
  const events = await store.getEvents(runId);
  expect(events.map((e) => e.sequenceIndex)).toEqual(events.map((_, i) => i));
  const traces = await store.getTraces(runId);
  expect(traces.map((t) => t.orderIndex)).toEqual(traces.map((_, i) => i));
  return events.map((e) => e.eventType);
}

describeEachBackend("resuming runs the Python reference paused", (backend) => {
  const golden = loadGolden(backend.name);
  const runs = golden.runs;
  let database: TestDatabase;
  let store: RunStore;

  beforeEach(async () => {
    executed.length = 0;
    database = await loadReferenceDatabase(backend);
    store = RunStore.fromDatabaseUrl(database.url);
  });
  afterEach(async () => {
    await store?.close();
    await database?.cleanup();
  });

  it("approves the reference's waiting approval: both calls of the batch run here and the run finishes", async () => {
    await using agent = supportAgent(database.url, ["Refunded 7.50 for order 1044."]);
    const done = await agent.submitApproval(runs.approval_waiting, { approved: true });
    expect(done).toMatchObject({ status: "success", answer: "Refunded 7.50 for order 1044." });
    // Approved calls go through the tool batch like fresh ones: these two are one parallel group, in either order.
    expect([...executed].sort()).toEqual(["lookup_order:1044", "refund_order:1044"]);
    const types = await expectContiguousLog(store, runs.approval_waiting);
    // As the reference's own approve (approval_approved), with one tool.completed per call of this two-call batch.
    expect(golden.store.runs.approval_approved.events.map((e) => e.event_type)).toEqual([
      "run.started", "llm.completed", "approval.requested", "run.paused", "run.resumed", "tool.completed", "approval.decided", "llm.completed", "run.completed",
    ]);
    expect(types.slice(0, 5)).toEqual(["run.started", "llm.completed", "approval.requested", "run.paused", "run.resumed"]);
    expect(types.filter((t) => t === "tool.completed")).toHaveLength(2);
    expect(types).toContain("approval.decided");
    expect(types.slice(-2)).toEqual(["llm.completed", "run.completed"]);
    const tools = await store.getToolInvocations(runs.approval_waiting);
    expect(tools.map((t) => [t.toolName, t.success, t.params]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ["lookup_order", true, { order_id: "1044" }],
      ["refund_order", true, { order_id: "1044", amount: 7.5 }],
    ]);
    const [pause] = await store.getPauses(runs.approval_waiting);
    expect(pause).toMatchObject({ reason: "waiting_approval", pauseSequenceIndex: 3, resumeSequenceIndex: 4 });
    // Each kind of event we add carries the data keys the reference's own approve wrote.
    const keysByType = (events: { type: string; data: unknown }[]) =>
      Object.fromEntries(events.map((e) => [e.type, e.data && typeof e.data === "object" ? Object.keys(e.data) : e.data]));
    const ours = keysByType((await store.getEvents(runs.approval_waiting)).map((e) => ({ type: e.eventType, data: e.data })));
    const theirs = keysByType(golden.store.runs.approval_approved.events.map((e) => ({ type: e.event_type as string, data: e.data })));
    expect(ours).toEqual(theirs);
    const run = (await store.getRun(runs.approval_waiting))!;
    expect(run.status).toBe("success");
    // Totals cover the reference's call before the pause (from its pause_data.usage) and ours after it, once each.
    const calls = await store.getLlmCalls(runs.approval_waiting);
    expect(calls).toHaveLength(2);
    expect([run.totalInputTokens, run.totalOutputTokens]).toEqual([
      calls.reduce((n, c) => n + c.inputTokens, 0),
      calls.reduce((n, c) => n + c.outputTokens, 0),
    ]);
    expect(run.totalInputTokens).toBeGreaterThan(110);
  });

  it("rejects the reference's waiting approval with a reason: nothing runs, rows as the reference's own reject", async () => {
    const reason = "Over the refund limit";
    await using agent = supportAgent(database.url, ["I will not refund it."]);
    const done = await agent.submitApproval(runs.approval_waiting, { approved: false, rejectionReason: reason });
    expect(done).toMatchObject({ status: "success", answer: "I will not refund it." });
    expect(executed).toEqual([]);
    await expectContiguousLog(store, runs.approval_waiting);
    const theirs = golden.store.runs.approval_rejected;
    const theirTool = theirs.traces.find((t) => t.role === "tool")!;
    const toolTraces = (await store.getTraces(runs.approval_waiting)).filter((t) => t.role === "tool");
    expect(toolTraces).toHaveLength(2);
    for (const t of toolTraces) {
      expect(t.content).toBe(theirTool.content);
      expect(Object.keys(t.meta as object)).toEqual(Object.keys(theirTool.meta as object));
      expect(t.meta).toMatchObject({ is_error: true, iteration: 1 });
    }
    const theirCall = theirs.tool_invocations[0]!;
    expect((await store.getToolInvocations(runs.approval_waiting)).map((t) => [t.toolName, t.result, t.success, t.error])).toEqual([
      ["lookup_order", theirCall.result, false, theirCall.error],
      ["refund_order", theirCall.result, false, theirCall.error],
    ]);
    const keysByType = (events: { type: string; data: unknown }[]) =>
      Object.fromEntries(events.map((e) => [e.type, e.data && typeof e.data === "object" ? Object.keys(e.data) : e.data]));
    expect(keysByType((await store.getEvents(runs.approval_waiting)).map((e) => ({ type: e.eventType, data: e.data })))).toEqual(
      keysByType(theirs.events.map((e) => ({ type: e.event_type as string, data: e.data }))),
    );
  });

  it("submits a client tool result to the reference's waiting client-tool pause", async () => {
    const [pause] = await store.getPauses(runs.client_waiting);
    const call = (pause!.pendingToolCalls as { id: string; name: string }[])[0]!;
    expect(call.name).toBe("read_file");
    await using agent = supportAgent(database.url, ["The report has 3 rows."]);
    const done = await agent.submitToolResults(runs.client_waiting, [{ name: "read_file", callId: call.id, payload: JSON.stringify("a,b\n1,2") }]);
    expect(done).toMatchObject({ status: "success", answer: "The report has 3 rows." });
    const types = await expectContiguousLog(store, runs.client_waiting);
    // The same events, in the same order, as the reference's own resume of its client_resumed run.
    expect(types).toEqual(golden.store.runs.client_resumed.events.map((e) => e.event_type));
    expect(types).toEqual(["run.started", "llm.completed", "run.paused", "run.resumed", "tool.completed", "llm.completed", "run.completed"]);
    const [after] = await store.getPauses(runs.client_waiting);
    expect(after).toMatchObject({ resumeSequenceIndex: 3, submittedResults: [expect.objectContaining({ call_id: call.id, name: "read_file" })] });
    const traces = await store.getTraces(runs.client_waiting);
    expect(traces.map((t) => t.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    // Rows we add look like the rows the reference adds on its own resume: event data, trace meta, tool call fields.
    const theirs = golden.store.runs.client_resumed;
    const keysOf = (v: unknown) => (v && typeof v === "object" ? Object.keys(v) : v);
    expect((await store.getEvents(runs.client_waiting)).map((e) => [e.eventType, keysOf(e.data)])).toEqual(
      theirs.events.map((e) => [e.event_type, keysOf(e.data)]),
    );
    expect(traces.map((t) => [t.role, keysOf(t.meta)])).toEqual(theirs.traces.map((t) => [t.role, keysOf(t.meta)]));
    const tools = await store.getToolInvocations(runs.client_waiting);
    expect(tools.map((t) => [t.toolName, t.target, t.success, typeof t.result])).toEqual(
      theirs.tool_invocations.map((t) => [t.tool_name, t.target, t.success, typeof t.result]),
    );
  });

  it("answers the reference's clarification question with submitInput, as the reference's own answer does", async () => {
    const answer = "Order 1042, s'il vous plaît";
    await using agent = supportAgent(database.url, ["Cancelling order 1042."]);
    const done = await agent.submitInput(runs.clarification_waiting, answer);
    expect(done).toMatchObject({ status: "success", answer: "Cancelling order 1042." });
    const theirs = golden.store.runs.clarification_answered;
    const events = await store.getEvents(runs.clarification_waiting);
    expect(events.map((e) => e.eventType)).toEqual(theirs.events.map((e) => e.event_type));
    expect(events.map((e) => (e.data && typeof e.data === "object" ? Object.keys(e.data) : e.data))).toEqual(
      theirs.events.map((e) => (e.data && typeof e.data === "object" ? Object.keys(e.data) : e.data)),
    );
    await expectContiguousLog(store, runs.clarification_waiting);
    const traces = await store.getTraces(runs.clarification_waiting);
    expect(traces.map((t) => [t.role, t.meta])).toEqual(theirs.traces.map((t) => [t.role, t.meta]));
    expect(traces[2]!.content).toBe(answer);
    const [pause] = await store.getPauses(runs.clarification_waiting);
    expect(pause).toMatchObject({ reason: "waiting_human_input", userInput: answer });
  });

  it("cancels a run the reference paused", async () => {
    await using agent = supportAgent(database.url, []);
    const result = await agent.cancelRun(runs.client_waiting_to_cancel);
    expect(result.status).toBe("cancelled");
    const types = await expectContiguousLog(store, runs.client_waiting_to_cancel);
    expect(types).toEqual(["run.started", "llm.completed", "run.paused", "run.cancelled"]);
    expect((await store.getRun(runs.client_waiting_to_cancel))?.status).toBe("cancelled");
  });

  it("refuses bad submits with typed errors and leaves the reference's rows as they were", async () => {
    await using agent = supportAgent(database.url, []);
    const before = await store.getEvents(runs.client_waiting);
    await expect(agent.submitToolResults(runs.client_waiting, [{ name: "read_file", callId: "01NOTACALL00000000000000000", payload: "1" }])).rejects.toThrow(InvalidToolResultError);
    await expect(agent.submitApproval(runs.server_tool_success, { approved: true })).rejects.toThrow(
      expect.objectContaining({ name: "RunAlreadyTerminalError", runId: runs.server_tool_success, currentStatus: "success" }) as RunAlreadyTerminalError,
    );
    expect(await store.getEvents(runs.client_waiting)).toEqual(before);
    expect((await store.getRun(runs.client_waiting))?.status).toBe("waiting_client_tool");
  });

  it("an idempotency key the reference used returns its run for the same request and conflicts for another", async () => {
    const agent = new Agent({ name: "Support", provider: new MockLLM([]), prompt: "You are a support agent.", tools: [lookupOrder, refundOrder, readFile], databaseUrl: database.url });
    try {
      const cached = await agent.run("What is my balance? (é)", { idempotencyKey: "balance-req-1", metadata: { thread_id: "thread-idem" } });
      expect(cached).toMatchObject({ runId: runs.idempotent, status: "success", answer: "Your balance is 10." });
      await expect(agent.run("What is my balance now?", { idempotencyKey: "balance-req-1" })).rejects.toThrow(
        expect.objectContaining({ name: "IdempotencyConflictError", runId: runs.idempotent, idempotencyKey: "balance-req-1" }) as IdempotencyConflictError,
      );
      expect(await store.countRuns()).toBe(Object.keys(runs).length);
    } finally {
      await agent.close();
    }
  });
});
