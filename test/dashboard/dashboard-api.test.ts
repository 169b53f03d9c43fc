import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "kysely";
import { z } from "zod";
import { Agent, tool } from "../../src/index.js";
import { openDashboard, type Dashboard } from "../../src/dashboard/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { describeEachBackend, withDatabase, type TestDatabase } from "../support/backends.js";
import { listen } from "../support/http.js";
import { add, readRange } from "../support/tools.js";

describeEachBackend("dashboard API", (backend) => {
  let database: TestDatabase;
  let dashboard: Dashboard;
  let server: { url: string; close: () => Promise<void> };
  let finished: string;
  let paused: string;
  let parent: string;

  beforeAll(async () => {
    database = await backend.create();
    const url = database.url;
    const agent = new Agent({
      name: "Calc",
      provider: new MockLLM([
        { text: "adding", toolCalls: [{ name: "add", params: { a: 1, b: 2 } }], usage: { costUsd: 0.001 } },
        "3",
        { toolCalls: [{ name: "read_range", params: { sheet: "S" } }] },
      ]),
      prompt: "You add.",
      tools: [add, readRange],
      databaseUrl: url,
    });
    finished = (await agent.run("1+2?")).runId;
    paused = (await agent.run("read")).runId;
    const sub = tool({
      name: "sub",
      description: "",
      parameters: z.object({}),
      execute: async () => {
        const child = new Agent({ name: "Child", provider: new MockLLM(["child"]), prompt: "c", databaseUrl: url });
        try {
          return (await child.run("x")).answer;
        } finally {
          await child.close();
        }
      },
    });
    const boss = new Agent({ name: "Boss", provider: new MockLLM([{ toolCalls: [{ name: "sub" }] }, "boss"]), prompt: "b", tools: [sub], databaseUrl: url });
    parent = (await boss.run("go")).runId;
    await Promise.all([agent.close(), boss.close()]);
    dashboard = await openDashboard({ databaseUrl: url, authToken: "t0ken" });
    server = await listen(dashboard.app.fetch);
  });
  afterAll(async () => {
    await server.close();
    await dashboard.close();
    await database.cleanup();
  });

  const get = async (path: string, token = "t0ken") => {
    const res = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it("guards /api with the token", async () => {
    expect(await get("/api/health", "")).toEqual({ status: 401, body: { detail: "Invalid or missing auth token." } });
    expect(await get("/api/health")).toEqual({ status: 200, body: { status: "ok" } });
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Dendrux Dashboard</title>");
  });

  it("lists runs with pause counts and filters", async () => {
    const { body } = await get("/api/runs");
    expect(body.total).toBe(4);
    expect(Object.keys(body.runs[0])).toEqual([
      "run_id", "agent_name", "status", "iteration_count", "total_input_tokens", "total_output_tokens", "total_cost_usd",
      "total_cache_read_tokens", "total_cache_creation_tokens", "model", "parent_run_id", "delegation_level", "pause_count", "created_at", "updated_at",
    ]);
    expect(body.runs.find((r: { run_id: string }) => r.run_id === paused).pause_count).toBe(1);
    expect((await get("/api/runs?agent=Calc&status=success")).body.runs.map((r: { run_id: string }) => r.run_id)).toEqual([finished]);
    expect((await get("/api/runs?limit=abc")).status).toBe(422);
    expect((await get("/api/runs?limit=999")).body.runs).toHaveLength(4);
  });

  it("pages the run list with before=<run id>; the total stays the filter's", async () => {
    const all = (await get("/api/runs")).body.runs.map((r: { run_id: string }) => r.run_id);
    const first = await get("/api/runs?limit=3");
    expect(first.body.runs.map((r: { run_id: string }) => r.run_id)).toEqual(all.slice(0, 3));
    const next = await get(`/api/runs?limit=3&before=${all[2]}`);
    expect(next.body).toMatchObject({ total: 4 });
    expect(Object.keys(next.body)).toEqual(["runs", "total"]);
    expect(next.body.runs.map((r: { run_id: string }) => r.run_id)).toEqual(all.slice(3));
    expect(await get("/api/runs?before=01NOPE")).toEqual({
      status: 422,
      body: { detail: "before must be the id of a run (the last run of the previous page).", field: "before" },
    });
  });

  it("builds the run timeline", async () => {
    const { body } = await get(`/api/runs/${finished}`);
    expect(Object.keys(body)).toEqual(["summary", "nodes", "system_prompt", "messages_by_iteration", "delegation"]);
    expect(body.summary).toMatchObject({ run_id: finished, agent_name: "Calc", status: "success", input_text: "1+2?", answer: "3", total_cost_usd: 0.001 });
    expect(body.system_prompt).toBe("You add.");
    expect(body.nodes.map((n: { type: string }) => n.type)).toEqual(["run_started", "llm_call", "tool_call", "llm_call", "finish"]);
    expect(body.nodes[1]).toMatchObject({ iteration: 1, assistant_text: "adding", has_tool_calls: true });
    expect(body.nodes[2]).toMatchObject({ tool_name: "add", params: { a: 1, b: 2 }, result: 3, success: true, target: "server" });
    expect(Object.keys(body.messages_by_iteration)).toEqual(["0", "1", "2"]);
    const pausedRun = await get(`/api/runs/${paused}`);
    expect(pausedRun.body.nodes.find((n: { type: string }) => n.type === "pause_segment")).toMatchObject({
      pause_status: "waiting_client_tool",
      pending_tool_calls: [{ tool_name: "read_range", target: "client" }],
      resumed_at: null,
    });
    expect(await get("/api/runs/nope")).toEqual({ status: 404, body: { detail: "Run 'nope' not found." } });
  });

  it("shows delegation and the drill-down routes", async () => {
    const { body } = await get(`/api/runs/${parent}`);
    expect(body.delegation).toMatchObject({ parent: null, children: [{ agent_name: "Child", delegation_level: 1 }], ancestry_complete: true });
    expect(body.delegation.subtree_summary).toMatchObject({ direct_child_count: 1, descendant_count: 1, max_depth: 1, status_counts: { success: 2 } });
    const child = body.delegation.children[0].run_id;
    const childRun = await get(`/api/runs/${child}`);
    expect(childRun.body.delegation).toMatchObject({ parent: { run_id: parent, resolved: true, agent_name: "Boss" }, ancestry: [{ run_id: parent }] });
    expect((await get(`/api/runs/${finished}/events`)).body.events.map((e: { event_type: string }) => e.event_type)).toEqual([
      "run.started", "llm.completed", "tool.completed", "llm.completed", "run.completed",
    ]);
    expect((await get(`/api/runs/${finished}/traces`)).body.traces).toHaveLength(4);
    expect((await get(`/api/runs/${finished}/tool-calls`)).body.tool_calls[0]).toMatchObject({ tool_name: "add", iteration_index: 1 });
    const llm = (await get(`/api/runs/${finished}/llm-calls`)).body.llm_calls;
    expect(llm[0].semantic_request.messages[0]).toEqual({ role: "system", content: "You add." });
  });

  /** Points runs at parents that break the foreign key, as rows written by other tools or hand edits can. */
  async function setParents(links: [child: string, parent: string][]) {
    await withDatabase(database.url, async (db) => {
      const update = async (q: typeof db) => {
        for (const [child, parentId] of links) await sql`UPDATE agent_runs SET parent_run_id = ${parentId} WHERE id = ${child}`.execute(q);
      };
      if (database.kind === "sqlite") {
        await sql`PRAGMA foreign_keys = OFF`.execute(db);
        await update(db);
      } else {
        await db.transaction().execute(async (trx) => {
          await sql`SET LOCAL session_replication_role = replica`.execute(trx);
          await update(trx);
        });
      }
    });
  }

  it("delegation info survives a broken parent pointer and a cycle", async () => {
    const solo = new Agent({ name: "Solo", provider: new MockLLM(["a", "b", "c"]), prompt: "s", databaseUrl: database.url });
    const [orphan, a, b] = [(await solo.run("1")).runId, (await solo.run("2")).runId, (await solo.run("3")).runId];
    await solo.close();
    await setParents([[orphan, "01NOSUCHRUN000000000000000"], [a, b], [b, a]]);

    const broken = (await get(`/api/runs/${orphan}`)).body.delegation;
    expect(broken).toMatchObject({ parent: { run_id: "01NOSUCHRUN000000000000000", resolved: false }, ancestry: [], ancestry_complete: false });

    const cyclic = (await get(`/api/runs/${a}`)).body.delegation;
    expect(cyclic.ancestry_complete).toBe(false);
    expect(cyclic.parent).toMatchObject({ run_id: b, resolved: true });
    expect(cyclic.subtree_summary).toMatchObject({ direct_child_count: 1, descendant_count: 1, status_counts: { success: 2 } });
  });

  it("timeline nodes for a resumed pause, governance, errors and cancellation; filtered totals", async () => {
    const make = (script: ConstructorParameters<typeof MockLLM>[0], extra: Partial<ConstructorParameters<typeof Agent>[0]> = {}) =>
      new Agent({ name: "Flow", provider: new MockLLM(script), prompt: "f", tools: [add, readRange], databaseUrl: database.url, ...extra });
    const pauser = make([{ toolCalls: [{ name: "add", params: { a: 1, b: 1 } }, { name: "read_range", params: { sheet: "S" } }] }, "read"], { deny: ["add"] });
    const paused = await pauser.run("go");
    await new Promise((r) => setTimeout(r, 20));
    await pauser.submitToolResults(paused.runId, [{ name: "read_range", callId: paused.pendingToolCalls![0]!.id, payload: "1,2" }]);
    const failing = make([new Error("provider down")]);
    await expect(failing.run("go")).rejects.toThrow("provider down");
    const waiting = make([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }]);
    const cancelled = await waiting.run("go");
    await pauser.cancelRun(cancelled.runId);
    await Promise.all([pauser.close(), failing.close(), waiting.close()]);

    const resumed = (await get(`/api/runs/${paused.runId}`)).body;
    expect(resumed.nodes.map((n: { type: string }) => n.type)).toEqual(["run_started", "llm_call", "governance_event", "pause_segment", "tool_call", "llm_call", "finish"]);
    expect(resumed.nodes[2]).toMatchObject({ event_type: "policy.denied", severity: "warning", title: "Tool denied" });
    const segment = resumed.nodes[3];
    expect(segment).toMatchObject({ pause_status: "waiting_client_tool", submitted_results: [{ tool_name: "read_range", success: true }] });
    expect(segment.resumed_at).not.toBeNull();
    expect(segment.wait_duration_ms).toBeGreaterThanOrEqual(0);

    const failed = (await get("/api/runs?agent=Flow&status=error")).body;
    expect(failed.total).toBe(1);
    expect((await get(`/api/runs/${failed.runs[0].run_id}`)).body.nodes.at(-1)).toMatchObject({ type: "error", error: "provider down" });
    expect((await get(`/api/runs/${cancelled.runId}`)).body.nodes.at(-1)).toMatchObject({ type: "cancelled" });
    const flows = (await get("/api/runs?agent=Flow&limit=1")).body;
    expect(flows.runs).toHaveLength(1);
    expect(flows.total).toBe(3);
  });
});
