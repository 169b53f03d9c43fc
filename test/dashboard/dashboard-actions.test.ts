import { request } from "node:http";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { Agent } from "../../src/index.js";
import { makeDashboardApp, openDashboard, type Dashboard } from "../../src/dashboard/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, withDatabase, type TestDatabase } from "../support/backends.js";
import { listen } from "../support/http.js";
import { lookup, readRange, refund } from "../support/tools.js";

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeEachBackend("dashboard actions and safety", (backend) => {
  let database: TestDatabase;
  let agent: Agent;
  let dashboard: Dashboard;
  let open: Dashboard;
  let server: { url: string; close: () => Promise<void> };
  let openServer: { url: string; close: () => Promise<void> };
  let approval: string;
  let client: string;
  let stranger: string;

  beforeAll(async () => {
    database = await backend.create();
    agent = new Agent({
      name: "Support",
      provider: new MockLLM([
        { toolCalls: [{ name: "refund", params: { id: "1" } }, { name: "lookup", params: { id: "2" } }] },
        { toolCalls: [{ name: "read_range", params: { sheet: "Q3" } }] },
        "Refunded and looked up.",
        "Q3 is 42.",
      ]),
      prompt: "p",
      tools: [refund, lookup, readRange],
      requireApproval: ["refund", "lookup"],
      databaseUrl: database.url,
    });
    approval = (await agent.run("refund 1, look up 2", { metadata: { thread_id: "t-9" } })).runId;
    client = (await agent.run("read Q3")).runId;
    const other = new Agent({ name: "Elsewhere", provider: new MockLLM([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }]), prompt: "p", tools: [readRange], databaseUrl: database.url });
    stranger = (await other.run("read")).runId;
    await other.close();
    dashboard = await openDashboard({ databaseUrl: database.url, authToken: "s3cret", agents: [agent] });
    server = await listen(dashboard.app.fetch);
    open = await openDashboard({ databaseUrl: database.url });
    openServer = await listen(open.app.fetch);
  });
  afterAll(async () => {
    await Promise.all([server.close(), openServer.close()]);
    await Promise.all([dashboard.close(), open.close(), agent.close()]);
    await database.cleanup();
  });

  const call = async (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; base?: string } = {}) => {
    const res = await fetch(`${init.base ?? server.url}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: { authorization: "Bearer s3cret", ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as Body };
  };

  it("answers no CORS headers, on /api or for a preflight", async () => {
    const res = await call("/api/runs", { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(`${server.url}/api/runs`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "GET" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("without a token answers only loopback hosts (a rebinding page gets 403)", async () => {
    expect((await call("/api/health", { base: openServer.url, headers: { authorization: "" } })).status).toBe(200);
    // fetch() never sends a Host header of our choosing; node:http does, as a rebinding browser would.
    const rebound = await new Promise<{ status: number; body: Body }>((resolve, reject) => {
      const req = request(`${openServer.url}/api/runs`, { headers: { host: "evil.example:8001" } }, (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Body }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(rebound).toMatchObject({ status: 403, body: { detail: expect.stringContaining("answers only on localhost") } });
  });

  it("an action needs JSON from the same origin", async () => {
    const form = await call(`/api/runs/${client}/cancel`, { body: "x", headers: { "content-type": "text/plain" } });
    expect(form).toMatchObject({ status: 415, body: { detail: "Send actions as application/json." } });
    const cross = await call(`/api/runs/${client}/cancel`, { body: {}, headers: { origin: "https://evil.example" } });
    expect(cross).toMatchObject({ status: 403, body: { detail: "Cross-origin actions are not allowed." } });
    expect((await call(`/api/runs/${client}/actions`)).body.status).toBe("waiting_client_tool");
  });

  it("lists what can be done, and why not", async () => {
    const actions = (await call(`/api/runs/${approval}/actions`)).body;
    expect(actions).toMatchObject({ status: "waiting_approval", agent_registered: true, can_submit: true, can_cancel: true, reason: null, metadata: { thread_id: "t-9" } });
    expect(actions.pending_tool_calls.map((p: Body) => [p.tool_name, p.params])).toEqual([["refund", { id: "1" }], ["lookup", { id: "2" }]]);
    const foreign = (await call(`/api/runs/${stranger}/actions`)).body;
    expect(foreign).toMatchObject({ agent_registered: false, can_submit: false, can_cancel: true, reason: "Agent 'Elsewhere' is not registered with this dashboard, so its tools cannot run here." });
    const refused = await call(`/api/runs/${stranger}/tool-results`, { body: { results: [{ call_id: "x", payload: "1" }] } });
    expect(refused).toMatchObject({ status: 409, body: { detail: foreign.reason, status: "waiting_client_tool" } });
  });

  it("checks the run's state and the body before applying anything", async () => {
    const wrongKind = await call(`/api/runs/${approval}/input`, { body: { text: "hi" } });
    expect(wrongKind).toMatchObject({ status: 409, body: { detail: `Run '${approval}' is waiting_approval, not waiting_human_input; nothing was applied.` } });
    const partial = await call(`/api/runs/${approval}/approval`, { body: { decisions: [{ call_id: "nope", approved: true }] } });
    expect(partial).toMatchObject({ status: 422, body: { detail: "Call 'nope' is not pending on this run." } });
    const ids = (await call(`/api/runs/${approval}/actions`)).body.pending_tool_calls.map((p: Body) => p.call_id as string);
    const missing = await call(`/api/runs/${approval}/approval`, { body: { decisions: [{ call_id: ids[0], approved: true }] } });
    expect(missing).toMatchObject({ status: 422, body: { field: "decisions", status: "waiting_approval" } });
    expect((await call(`/api/runs/${approval}/actions`)).body.status).toBe("waiting_approval");
  });

  it("approves a batch once; the second submit is a conflict and changes nothing", async () => {
    const ids = (await call(`/api/runs/${approval}/actions`)).body.pending_tool_calls.map((p: Body) => p.call_id as string);
    const decisions = ids.map((id: string) => ({ call_id: id, approved: true }));
    const first = await call(`/api/runs/${approval}/approval`, { body: { decisions } });
    expect(first).toMatchObject({ status: 200, body: { run_id: approval, status: "success", answer: "Refunded and looked up." } });
    const again = await call(`/api/runs/${approval}/approval`, { body: { decisions } });
    expect(again).toMatchObject({ status: 409, body: { status: "success" } });
    const tools = (await call(`/api/runs/${approval}/tool-calls`)).body.tool_calls.map((t: Body) => t.tool_name);
    // Approved calls run as one parallel group, in either order.
    expect([...tools].sort()).toEqual(["lookup", "refund"]);
  });

  it("submits a client tool's result", async () => {
    const [pending] = (await call(`/api/runs/${client}/actions`)).body.pending_tool_calls as Body[];
    const done = await call(`/api/runs/${client}/tool-results`, { body: { results: [{ call_id: pending!.call_id, payload: "42" }] } });
    expect(done).toMatchObject({ status: 200, body: { status: "success", answer: "Q3 is 42." } });
  });

  it("cancels a run whose agent is not registered; a finished run is a conflict", async () => {
    const cancelled = await call(`/api/runs/${stranger}/cancel`, { body: {} });
    expect(cancelled).toMatchObject({ status: 200, body: { status: "cancelled" } });
    expect(await call(`/api/runs/${stranger}/cancel`, { body: {} })).toMatchObject({ status: 409, body: { detail: `Run '${stranger}' has already finished (cancelled); nothing was applied.` } });
  });

  it("a thread route rolls up its turns", async () => {
    const thread = (await call("/api/threads/t-9")).body;
    expect(thread.turns.map((t: Body) => [t.run_id, t.input_text, t.status])).toEqual([[approval, "refund 1, look up 2", "success"]]);
    expect(thread.totals).toEqual({ runs: 1, input_tokens: 20, output_tokens: 10, cost_usd: null, waiting: 0 });
    const listed = (await call("/api/runs?thread=t-9")).body;
    expect(listed.runs.map((r: Body) => r.run_id)).toEqual([approval]);
    expect((await call(`/api/runs?q=${approval.slice(0, 20).toLowerCase()}`)).body.runs.map((r: Body) => r.run_id)).toEqual([approval]);
  });

  it("pairs pauses with resumes as RunStore.getPauses does: two pauses never claim one resume", async () => {
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
    await withDatabase(database.url, async (db, a) => {
      const base = Number((await db.selectFrom("run_events").select((eb) => eb.fn.max("sequence_index").as("m")).where("agent_run_id", "=", client).executeTakeFirst())?.m ?? 0) + 1;
      const event = (i: number, type: string, data: unknown) => ({
        id: `01PAIR${String(i).padStart(20, "0")}`, agent_run_id: client, event_type: type, sequence_index: base + i, iteration_index: 9, correlation_id: null, data: a.json(data), created_at: a.timestamp(at(i)),
      });
      await db.insertInto("run_events").values([event(0, "run.paused", { status: "waiting_client_tool", pending_tool_calls: [] }), event(1, "run.paused", { status: "waiting_client_tool", pending_tool_calls: [] }), event(2, "run.resumed", { submitted_results: [] })]).execute();
    });
    const nodes = (await call(`/api/runs/${client}`)).body.nodes.filter((n: Body) => n.type === "pause_segment" && n.iteration === 9);
    expect(nodes.map((n: Body) => [n.resumed_at, n.wait_duration_ms])).toEqual([[null, null], ["2026-01-01T00:00:02Z", 1000]]);
  });

  it("logs a 500 with the request id it answers", async () => {
    const store = RunStore.fromDatabaseUrl(database.url);
    await store.close(); // every read now fails
    const broken = await listen(makeDashboardApp({ store, authToken: "s3cret" }).fetch);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const log = process.env.DENDRUX_LOG;
    delete process.env.DENDRUX_LOG;
    try {
      const res = await call("/api/runs", { base: broken.url });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ detail: "Internal Server Error", request_id: res.headers.get("x-request-id") });
      expect(errors).toHaveBeenCalledWith(`[dendrux] dashboard GET /api/runs failed (request ${res.body.request_id})`, expect.stringContaining("RunStore is closed."));
    } finally {
      process.env.DENDRUX_LOG = log;
      errors.mockRestore();
      await broken.close();
    }
  });
});
