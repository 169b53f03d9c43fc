import { HTTPException } from "hono/http-exception";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { makeReadRouter } from "../../src/http/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { listen, readSse } from "../support/http.js";
import { add, readRange } from "../support/tools.js";

const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$/;

describeEachBackend("read router over HTTP", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  let server: { url: string; close: () => Promise<void> };
  let agent: Agent;
  let runA: string;
  let runB: string;
  let pausedB: { callId: string };
  const getEventsCalls = { n: 0 };

  beforeAll(async () => {
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
    agent = new Agent({
      provider: new MockLLM([
        { toolCalls: [{ name: "add", params: { a: 17, b: 25 }, providerToolCallId: "toolu_01" }], usage: { inputTokens: 120, outputTokens: 30, costUsd: 0.0012 } },
        { text: "17 + 25 = 42", usage: { inputTokens: 160, outputTokens: 12 } },
        { toolCalls: [{ name: "read_range", params: { sheet: "S1" } }] },
        "done é",
      ]),
      prompt: "You are a calculator.",
      tools: [add, readRange],
      databaseUrl: database.url,
    });
    runA = (await agent.run("What is 17 + 25?", { metadata: { thread_id: "t1" } })).runId;
    const paused = await agent.run("Read it", { metadata: { thread_id: "t2" } });
    runB = paused.runId;
    pausedB = { callId: paused.pendingToolCalls![0]!.id };
    const counting = new Proxy(store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop === "getEvents") return (...args: Parameters<RunStore["getEvents"]>) => (getEventsCalls.n++, target.getEvents(...args));
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const router = makeReadRouter({
      store: counting,
      metadataFilter: true,
      keepaliveMs: 150,
      authorize: (c) => {
        if (c.req.header("authorization") !== "Bearer good") {
          throw new HTTPException(401, { res: new Response(null, { headers: { "WWW-Authenticate": "Bearer" } }) });
        }
      },
    });
    server = await listen(router.fetch);
  });

  afterAll(async () => {
    await server.close();
    await agent.close();
    await store.close();
    await database.cleanup();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { authorization: "Bearer good", ...headers } });
  const json = async (path: string, headers?: Record<string, string>) => {
    const res = await get(path, headers);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { items: Record<string, unknown>[] }, res };
  };

  it("health is open; everything else needs authorize, which runs before validation and 404", async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('{"status":"ok"}');
    for (const path of ["/runs", "/runs?limit=abc", "/runs/nope", "/runs/nope/events/stream"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(await res.json()).toEqual({ detail: "Unauthorized" });
    }
  });

  it("GET /runs: reference envelope, key order, newest first, filters", async () => {
    const { status, body } = await json("/runs");
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(["items", "total", "limit", "offset"]);
    expect(body).toMatchObject({ total: 2, limit: 50, offset: 0 });
    expect(body.items.map((r) => r.run_id)).toEqual([runB, runA]);
    expect(Object.keys(body.items[0]!)).toEqual([
      "run_id", "agent_name", "status", "created_at", "updated_at", "iteration_count", "total_input_tokens", "total_output_tokens",
      "total_cache_read_tokens", "total_cache_creation_tokens", "total_cost_usd", "model", "parent_run_id", "delegation_level", "total_reasoning_tokens",
    ]);
    expect(body.items[1]).toMatchObject({ status: "success", total_input_tokens: 280, total_output_tokens: 42, total_cost_usd: 0.0012, model: "mock" });
    expect(body.items[1]!.created_at).toMatch(ISO_MICROS);
    expect((await json("/runs?status=success")).body.total).toBe(1);
    expect((await json("/runs?status=success&status=waiting_client_tool")).body.total).toBe(2);
    expect((await json("/runs?status=")).body.total).toBe(0);
    expect((await json("/runs?agent_name=Agent&limit=1&offset=1")).body).toMatchObject({ total: 2, limit: 1, offset: 1, items: [{ run_id: runA }] });
    expect((await json("/runs?limit=5&limit=7")).body.limit).toBe(7);
    expect((await json("/runs?limit=%2042%20")).body.limit).toBe(42);
    expect((await json("/runs?limit=1_000")).body.limit).toBe(1000);
    expect((await json("/runs?limit=2.0")).body.limit).toBe(2);
    expect((await json("/runs?tenant_id=none")).body.total).toBe(0);
  });

  it("GET /runs: started_after / started_before work (the reference answers 500)", async () => {
    const past = "2000-01-01T00:00:00Z";
    expect((await json(`/runs?started_after=${past}`)).body.total).toBe(2);
    expect((await json(`/runs?started_before=${past}`)).body.total).toBe(0);
    const bad = await json("/runs?started_after=yesterday");
    expect(bad.status).toBe(422);
    expect((bad.body.detail as unknown[])[0]).toMatchObject({ loc: ["query", "started_after"], input: "yesterday" });
  });

  it("GET /runs: opt-in metadata filter", async () => {
    expect((await json("/runs?metadata.thread_id=t1")).body.items.map((r) => r.run_id)).toEqual([runA]);
    const bad = await json("/runs?metadata.user.id=x");
    expect(bad.status).toBe(422);
    expect((bad.body.detail as Record<string, unknown>[])[0]).toMatchObject({ type: "value_error", loc: ["query", "metadata.user.id"] });
  });

  it("422 bodies are the reference's, in parameter order", async () => {
    const res = await json("/runs?limit=abc&offset=-1");
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      detail: [
        { type: "int_parsing", loc: ["query", "limit"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "abc" },
        { type: "greater_than_equal", loc: ["query", "offset"], msg: "Input should be greater than or equal to 0", input: "-1", ctx: { ge: 0 } },
      ],
    });
    expect((await json("/runs?limit=0")).body.detail).toEqual([
      { type: "greater_than_equal", loc: ["query", "limit"], msg: "Input should be greater than or equal to 1", input: "0", ctx: { ge: 1 } },
    ]);
    expect((await json("/runs?limit=1001")).body.detail).toEqual([
      { type: "less_than_equal", loc: ["query", "limit"], msg: "Input should be less than or equal to 1000", input: "1001", ctx: { le: 1000 } },
    ]);
    for (const bad of ["2.5", "1e3", "0x10", ""]) expect((await json(`/runs?limit=${bad}`)).status).toBe(422);
  });

  it("GET /runs/:id and the 404 rule", async () => {
    const { body } = await json(`/runs/${runA}`);
    expect(Object.keys(body)).toEqual([
      "run_id", "agent_name", "status", "created_at", "updated_at", "iteration_count", "total_input_tokens", "total_output_tokens",
      "total_cache_read_tokens", "total_cache_creation_tokens", "total_cost_usd", "model", "strategy", "parent_run_id", "delegation_level",
      "input_data", "answer", "error", "failure_reason", "total_reasoning_tokens",
    ]);
    expect(body).toMatchObject({ strategy: "NativeToolCalling", input_data: { input: "What is 17 + 25?" }, answer: "17 + 25 = 42", error: null });
    for (const path of ["/runs/nope", "/runs/nope/events", "/runs/nope/llm-calls", "/runs/nope/tool-calls", "/runs/nope/traces", "/runs/nope/pauses", "/runs/nope/events/stream"]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe(`{"detail":"Run 'nope' not found."}`);
    }
    const odd = await get(`/runs/a%22b%C3%A9`);
    expect(await odd.json()).toEqual({ detail: `Run 'a"bé' not found.` });
  });

  it("GET /runs/:id/events: cursor pagination and the empty-page rule", async () => {
    const first = await json(`/runs/${runA}/events?limit=2`);
    expect(first.body.items.map((e) => e.sequence_index)).toEqual([0, 1]);
    expect(first.body.next_cursor).toBe(1);
    expect(Object.keys(first.body.items[0]!)).toEqual(["sequence_index", "iteration_index", "event_type", "correlation_id", "data", "created_at"]);
    const rest = await json(`/runs/${runA}/events?after=${first.body.next_cursor}`);
    expect(rest.body.items.map((e) => e.event_type)).toEqual(["tool.completed", "llm.completed", "run.completed"]);
    expect(rest.body.next_cursor).toBe(4);
    expect((await json(`/runs/${runA}/events?after=99`)).body).toEqual({ items: [], next_cursor: 99 });
    expect((await json(`/runs/${runA}/events?after=-5&limit=1`)).body.next_cursor).toBe(0);
  });

  it("drill-downs: llm-calls, tool-calls, traces, pauses", async () => {
    const llm = await json(`/runs/${runA}/llm-calls`);
    expect(Object.keys(llm.body)).toEqual(["items", "limit", "offset"]);
    expect(Object.keys(llm.body.items[0]!)).toEqual([
      "id", "iteration", "provider", "model", "input_tokens", "output_tokens", "total_tokens", "cache_read_input_tokens",
      "cache_creation_input_tokens", "cost_usd", "duration_ms", "provider_request", "provider_response", "created_at", "reasoning_tokens", "reasoning",
    ]);
    expect(llm.body.items[0]).toMatchObject({ iteration: 1, provider: "MockLLM", total_tokens: 150, cost_usd: 0.0012 });
    expect((await json(`/runs/${runA}/llm-calls?iteration=2`)).body.items).toHaveLength(1);
    const tools = await json(`/runs/${runA}/tool-calls`);
    expect(tools.body.items).toMatchObject([{ iteration: 1, tool_name: "add", provider_tool_call_id: "toolu_01", target: "server", params: { a: 17, b: 25 }, result: 42, success: true, error: null }]);
    const traces = await json(`/runs/${runA}/traces?offset=1&limit=2`);
    expect(traces.body).toMatchObject({ limit: 2, offset: 1 });
    expect(traces.body.items.map((t) => t.order_index)).toEqual([1, 2]);
    expect((await json(`/runs/${runA}/traces?offset=99`)).body).toEqual({ items: [], limit: 100, offset: 99 });
    const pauses = await json(`/runs/${runB}/pauses`);
    expect(pauses.body.items).toMatchObject([{ reason: "waiting_client_tool", resume_sequence_index: null, pending_tool_calls: [{ name: "read_range", target: "client" }] }]);
    expect(await (await get(`/runs/${runA}/pauses`)).text()).toBe('{"items":[]}');
  });

  it("SSE: frames, headers, cursor precedence and malformed Last-Event-ID", async () => {
    const res = await get(`/runs/${runA}/events/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    const frames = await readSse(res, (f) => f.length >= 5);
    expect(frames.map((f) => f.id)).toEqual(["0", "1", "2", "3", "4"]);
    expect(frames[4]!.raw).toMatch(/^id: 4\nevent: message\ndata: \{"sequence_index": 4, "iteration_index": 0, "event_type": "run.completed", "correlation_id": null, "timestamp": "[^"]+Z", "data": \{"status": "success"\}\}\n\n$/);
    expect(Object.keys(frames[0]!.data as object)).toEqual(["sequence_index", "iteration_index", "event_type", "correlation_id", "timestamp", "data"]);

    const afterHeader = await readSse(await get(`/runs/${runA}/events/stream?after=0`, { "last-event-id": " 2 " }), (f) => f.length >= 2);
    expect(afterHeader.map((f) => f.id)).toEqual(["3", "4"]);
    const malformed = await readSse(await get(`/runs/${runA}/events/stream?after=3`, { "last-event-id": "junk" }), (f) => f.length >= 1);
    expect(malformed.map((f) => f.id)).toEqual(["4"]);
    const zero = await readSse(await get(`/runs/${runA}/events/stream`, { "last-event-id": "0" }), (f) => f.length >= 1);
    expect(zero[0]!.id).toBe("1");
  });

  it("SSE: stays open, delivers events written while connected, sends keepalives", async () => {
    const res = await get(`/runs/${runB}/events/stream`);
    const pending = readSse(res, (f) => f.some((x) => (x.data as { event_type?: string } | undefined)?.event_type === "run.completed") && f.at(-1)?.comment === "keepalive", 8000);
    await new Promise((r) => setTimeout(r, 100));
    await agent.submitToolResults(runB, [{ name: "read_range", callId: pausedB.callId, payload: "[[42]]" }]);
    const frames = await pending;
    const types = frames.filter((f) => f.data).map((f) => (f.data as { event_type: string }).event_type);
    expect(types).toEqual(["run.started", "llm.completed", "run.paused", "run.resumed", "tool.completed", "llm.completed", "run.completed"]);
    expect(frames.some((f) => f.raw === ": keepalive\n\n")).toBe(true);
  });

  it("SSE: a disconnected client stops its poller", async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/runs/${runA}/events/stream`, { headers: { authorization: "Bearer good" }, signal: controller.signal });
    await readSse(res, (f) => f.length >= 5);
    controller.abort();
    await new Promise((r) => setTimeout(r, 150));
    const before = getEventsCalls.n;
    await new Promise((r) => setTimeout(r, 300));
    expect(getEventsCalls.n).toBe(before);
  });
});
