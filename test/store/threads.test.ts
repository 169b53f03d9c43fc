import { afterAll, beforeAll, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { makeReadRouter } from "../../src/http/index.js";
import { PII } from "../../src/guardrails/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore, type ThreadEvent } from "../../src/store/index.js";
import { ValidationError } from "../../src/errors/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { listen } from "../support/http.js";
import { openEventWriter, openSse, sleep, until } from "../support/live.js";
import { readRange } from "../support/tools.js";

const EMAIL = "jane@example.com";

describeEachBackend("chat threads", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  let server: { url: string; close: () => Promise<void> };
  let turns: string[];
  let paused: { runId: string; callId: string };
  let agent: Agent;

  beforeAll(async () => {
    database = await backend.create();
    agent = new Agent({
      name: "Chat",
      provider: new MockLLM([
        { text: "Hi!", usage: { inputTokens: 10, outputTokens: 2, costUsd: 0.001 } },
        { text: `Noted, <<EMAIL_ADDRESS_1>>.`, usage: { inputTokens: 20, outputTokens: 4, costUsd: 0.002 } },
        { toolCalls: [{ name: "read_range", params: { sheet: "S" } }], usage: { inputTokens: 30, outputTokens: 6 } },
        { text: "other thread", usage: { inputTokens: 1, outputTokens: 1 } },
        "read it",
      ]),
      prompt: "p",
      tools: [readRange],
      guardrails: [new PII()],
      databaseUrl: database.url,
    });
    turns = [];
    turns.push((await agent.run("hello", { metadata: { thread_id: "t1", user_id: "u1" } })).runId);
    turns.push((await agent.run(`my mail is ${EMAIL}`, { metadata: { thread_id: "t1", user_id: "u1" } })).runId);
    const p = await agent.run("read the sheet", { metadata: { thread_id: "t1", user_id: "u1" } });
    turns.push(p.runId);
    paused = { runId: p.runId, callId: p.pendingToolCalls![0]!.id };
    await agent.run("elsewhere", { metadata: { thread_id: "t2" } });
    store = RunStore.fromDatabaseUrl(database.url);
    server = await listen(makeReadRouter({ store, authorize: () => undefined, keepaliveMs: 60_000 }).fetch);
  });

  afterAll(async () => {
    await server.close();
    await store.close();
    await agent.close();
    await database.cleanup();
  });

  it("getThread: the turns oldest first with input, answer and metadata; stored text unless asked", async () => {
    const thread = await store.getThread("t1");
    expect(thread.map((t) => t.runId)).toEqual(turns);
    expect(thread.map((t) => t.status)).toEqual(["success", "success", "waiting_client_tool"]);
    expect(thread[0]).toMatchObject({ input: "hello", answer: "Hi!", error: null, metadata: { thread_id: "t1", user_id: "u1" }, totalInputTokens: 10 });
    expect(thread[1]!.input).toBe("my mail is <<EMAIL_ADDRESS_1>>");
    expect(thread[1]!.answer).toBe("Noted, <<EMAIL_ADDRESS_1>>.");
    const real = await store.getThread("t1", { deanonymize: true });
    expect(real[1]).toMatchObject({ input: `my mail is ${EMAIL}`, answer: `Noted, ${EMAIL}.` });
    expect(await store.getThread("nope")).toEqual([]);
  });

  it("getThread pages backwards with limit and before", async () => {
    expect((await store.getThread("t1", { limit: 2 })).map((t) => t.runId)).toEqual(turns.slice(1));
    expect((await store.getThread("t1", { limit: 2, before: turns[1] })).map((t) => t.runId)).toEqual([turns[0]]);
    const bad = store.getThread("t1", { before: "01NOTINTHREAD0000000000000" });
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(bad).rejects.toMatchObject({ field: "before" });
    const empty = store.getThread("");
    await expect(empty).rejects.toMatchObject({ name: "ValidationError", field: "threadId" });
  });

  it("threadSummary: turns, statuses, tokens, cost and activity from SQL", async () => {
    const summary = await store.threadSummary("t1");
    const runs = await store.listRuns({ metadataFilter: { thread_id: "t1" } });
    const input = runs.reduce((n, r) => n + r.totalInputTokens, 0);
    const output = runs.reduce((n, r) => n + r.totalOutputTokens, 0);
    expect(input).toBeGreaterThanOrEqual(30);
    expect(summary).toMatchObject({
      threadId: "t1",
      turns: 3,
      statuses: { success: 2, waiting_client_tool: 1 },
      totalInputTokens: input,
      totalOutputTokens: output,
      totalTokens: input + output,
      totalCostUsd: 0.003,
    });
    const first = (await store.getRun(turns[0]!))!.createdAt!;
    expect(summary.firstActivityAt!.getTime()).toBe(first.getTime());
    expect(summary.lastActivityAt!.getTime()).toBeGreaterThanOrEqual((await store.getRun(turns[2]!))!.updatedAt!.getTime());
    expect(await store.threadSummary("nope")).toMatchObject({ turns: 0, statuses: {}, totalTokens: 0, totalCostUsd: null, firstActivityAt: null, lastActivityAt: null });
  });

  it("GET /threads/:id/runs and /summary", async () => {
    const res = await fetch(`${server.url}/threads/t1/runs?limit=2`);
    const page = (await res.json()) as { items: Record<string, unknown>[]; next_before: string | null };
    expect(Object.keys(page)).toEqual(["items", "next_before"]);
    expect(page.items.map((r) => r.run_id)).toEqual(turns.slice(1));
    expect(page.next_before).toBe(turns[1]);
    expect(Object.keys(page.items[0]!).slice(-4)).toEqual(["input", "answer", "error", "metadata"]);
    const older = (await (await fetch(`${server.url}/threads/t1/runs?limit=2&before=${page.next_before}`)).json()) as typeof page;
    expect(older).toMatchObject({ items: [{ run_id: turns[0], input: "hello", answer: "Hi!" }], next_before: null });
    const bad = await fetch(`${server.url}/threads/t1/runs?before=nope`);
    expect(bad.status).toBe(422);
    const summary = (await (await fetch(`${server.url}/threads/t1/summary`)).json()) as Record<string, unknown>;
    const expected = await store.threadSummary("t1");
    expect(summary).toMatchObject({ thread_id: "t1", turns: 3, statuses: { success: 2, waiting_client_tool: 1 }, total_tokens: expected.totalTokens, total_cost_usd: 0.003 });
    expect(summary.first_activity_at).toMatch(/Z$/);
  });

  it("GET /threads/:id/events/stream: every run, then live turns; Last-Event-ID resumes exactly", async () => {
    const first = openSse(`${server.url}/threads/t1/events/stream`);
    await until(() => first.frames.filter((f) => f.data?.event_type === "run.paused").length === 1, "the paused turn");
    const seen = first.frames.filter((f) => f.data);
    expect(new Set(seen.map((f) => f.data!.run_id))).toEqual(new Set(turns));
    for (const runId of turns) {
      const seqs = seen.filter((f) => f.data!.run_id === runId).map((f) => f.data!.sequence_index);
      expect(seqs).toEqual(seqs.map((_, i) => i));
    }
    // Resume from the middle of the backlog: only what follows.
    const cut = seen[4]!;
    first.close();
    const second = openSse(`${server.url}/threads/t1/events/stream`, { "last-event-id": cut.id! });
    await until(() => second.frames.some((f) => f.data?.event_type === "run.paused"), "the rest of the backlog");
    expect(second.frames.filter((f) => f.data).map((f) => f.id)).toEqual(seen.slice(5).map((f) => f.id));

    // Live: the paused turn resumes and a new turn starts; both arrive on the open stream.
    await agent.submitToolResults(paused.runId, [{ name: "read_range", callId: paused.callId, payload: "[[1]]" }]);
    await until(() => second.frames.some((f) => f.data?.run_id === paused.runId && f.data?.event_type === "run.completed"), "the resumed turn finishing");
    const writer = await openEventWriter(database.url);
    const w = await writer.createRun("01THREADLIVE00000000000000", { meta: { thread_id: "t1" } });
    await w.emit("run.started", {});
    await w.emit("run.completed", { status: "success" });
    await until(() => second.frames.some((f) => f.data?.run_id === "01THREADLIVE00000000000000" && f.data?.event_type === "run.completed"), "a new turn of the thread");
    const after = second.frames.filter((f) => f.data);
    expect(new Set(after.map((f) => f.id)).size).toBe(after.length);
    second.close();
    await writer.close();
  });

  it("a new turn already watched through its run stream still joins the thread stream", async () => {
    const thread = openSse(`${server.url}/threads/t3/events/stream`);
    await sleep(100);
    const writer = await openEventWriter(database.url);
    const runId = "01THREADWATCHED00000000000";
    const w = await writer.createRun(runId, { meta: { thread_id: "t3" } });
    const direct = openSse(`${server.url}/runs/${runId}/events/stream`);
    await until(() => direct.status !== undefined, "the run stream to open");
    await sleep(100);
    await w.emit("run.started", {});
    await w.emit("run.completed", { status: "success" });
    await until(() => direct.frames.filter((f) => f.data).length === 2, "the run stream");
    await until(() => thread.frames.filter((f) => f.data).length === 2, "the thread stream");
    expect(thread.frames.filter((f) => f.data).map((f) => f.data!.event_type)).toEqual(["run.started", "run.completed"]);
    thread.close();
    direct.close();
    await writer.close();
  });

  it("streamThreadEvents: a cursor round-trips, a bad one is a ValidationError", async () => {
    const controller = new AbortController();
    const got: ThreadEvent[] = [];
    for await (const item of store.streamThreadEvents("t2", { signal: controller.signal })) {
      got.push(item);
      if (item.event.eventType === "run.completed") controller.abort();
    }
    expect(got.map((g) => g.event.eventType)).toEqual(["run.started", "llm.completed", "run.completed"]);
    const resumed: string[] = [];
    const again = new AbortController();
    setTimeout(() => again.abort(), 200);
    for await (const item of store.streamThreadEvents("t2", { after: got[0]!.cursor, signal: again.signal })) resumed.push(item.event.eventType);
    expect(resumed).toEqual(["llm.completed", "run.completed"]);
    const bad = store.streamThreadEvents("t2", { after: "not a cursor" }).next();
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(bad).rejects.toMatchObject({ field: "after" });
    expect((await fetch(`${server.url}/threads/t2/events/stream?after=bad`)).status).toBe(422);
    await sleep(10);
  });
});
