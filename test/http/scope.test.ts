import type { Context } from "hono";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { makeReadRouter } from "../../src/http/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore, type RunScope } from "../../src/store/index.js";
import { ValidationError } from "../../src/errors/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { listen, readSse } from "../support/http.js";
import { openSse, sleep, until } from "../support/live.js";

/** Each request says who it is; authorize turns that into a scope. */
function authorize(c: Context): RunScope | false | undefined {
  const who = c.req.header("x-tenant");
  if (who === "nobody") return false;
  if (who === "admin") return undefined;
  if (who === "bad") return { tenantId: 42 } as unknown as RunScope;
  if (who === "team-red") return { metadata: { team: "red" } };
  return { tenantId: who ?? "" };
}

describeEachBackend("scope from authorize", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  let server: { url: string; close: () => Promise<void> };
  let runA: string;
  let runB: string;
  const errors: unknown[] = [];

  beforeAll(async () => {
    database = await backend.create();
    const agent = new Agent({ provider: new MockLLM(["answer A", "answer B", "answer A2"]), prompt: "p", databaseUrl: database.url });
    runA = (await agent.run("question A", { tenantId: "acme", metadata: { thread_id: "shared", team: "red" } })).runId;
    runB = (await agent.run("question B", { tenantId: "globex", metadata: { thread_id: "shared", team: "blue" } })).runId;
    await agent.close();
    store = RunStore.fromDatabaseUrl(database.url);
    server = await listen(makeReadRouter({ store, authorize, metadataFilter: true, includeMetadata: true, keepaliveMs: 60_000, onError: (e) => errors.push(e) }).fetch);
  });

  afterAll(async () => {
    await server.close();
    await store.close();
    await database.cleanup();
  });

  const get = (path: string, tenant: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { "x-tenant": tenant, ...headers } });
  const body = async (path: string, tenant: string) => (await (await get(path, tenant)).json()) as Record<string, unknown> & { items: Record<string, unknown>[] };

  it("lists and counts only the tenant's runs, also with filters that name another tenant", async () => {
    expect((await body("/runs", "acme")).items.map((r) => r.run_id)).toEqual([runA]);
    expect((await body("/runs", "acme")).total).toBe(1);
    expect((await body("/runs", "globex")).items.map((r) => r.run_id)).toEqual([runB]);
    expect(await body("/runs?tenant_id=globex", "acme")).toMatchObject({ items: [], total: 0 });
    expect(await body("/runs?metadata.team=blue", "acme")).toMatchObject({ items: [], total: 0 });
    expect((await body("/runs", "admin")).total).toBe(2);
    expect((await body("/runs", "team-red")).items.map((r) => r.run_id)).toEqual([runA]);
  });

  it("every per-run route answers another tenant's run exactly like a missing run", async () => {
    const missing = "01MISSING00000000000000000";
    for (const suffix of ["", "/events", "/events?after=0", "/llm-calls", "/tool-calls", "/traces", "/pauses", "/events/stream"]) {
      const other = await get(`/runs/${runB}${suffix}`, "acme");
      const none = await get(`/runs/${missing}${suffix}`, "acme");
      expect(other.status).toBe(404);
      expect(none.status).toBe(404);
      expect(await other.text()).toBe(`{"detail":"Run '${runB}' not found."}`);
      expect(await none.text()).toBe(`{"detail":"Run '${missing}' not found."}`);
      const names = (h: Headers) => { const out: string[] = []; h.forEach((_v, k) => out.push(k)); return out.sort(); };
      expect(names(other.headers)).toEqual(names(none.headers));
      expect((await get(`/runs/${runB}${suffix}`, "team-red")).status).toBe(404);
    }
    expect((await get(`/runs/${runA}`, "acme")).status).toBe(200);
    const frames = await readSse(await get(`/runs/${runA}/events/stream`, "acme"), (f) => f.length >= 1);
    expect(frames[0]!.id).toBe("0");
  });

  it("the scope is in SQL: RunStore reads take it too", async () => {
    expect(await store.getRun(runB, { scope: { tenantId: "acme" } })).toBeNull();
    expect(await store.getEvents(runB, { scope: { tenantId: "acme" } })).toEqual([]);
    expect(await store.getTraces(runB, { scope: { tenantId: "acme" } })).toEqual([]);
    expect(await store.getLlmCalls(runB, { scope: { metadata: { team: "red" } } })).toEqual([]);
    expect((await store.getLlmCalls(runB, { scope: { metadata: { team: "blue" } } })).length).toBe(1);
    expect(await store.getPiiMapping(runB, { scope: { tenantId: "acme" } })).toEqual({});
    await expect(store.streamEvents(runB, { scope: { tenantId: "acme" } }).next()).rejects.toMatchObject({ name: "RunNotFoundError", runId: runB });
    const bad = store.listRuns({ scope: { metadata: { "a.b": 1 } } });
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(bad).rejects.toMatchObject({ field: "scope.metadata.a.b" });
  });

  it("threads are scoped: the other tenant's turns are invisible in runs, summary and the live stream", async () => {
    const acme = await body("/threads/shared/runs", "acme");
    expect(acme.items.map((r) => r.run_id)).toEqual([runA]);
    expect(acme.items[0]).toMatchObject({ input: "question A", answer: "answer A", metadata: { thread_id: "shared", team: "red" } });
    expect(await body("/threads/shared/summary", "acme")).toMatchObject({ thread_id: "shared", turns: 1 });
    expect(await body("/threads/shared/summary", "admin")).toMatchObject({ turns: 2 });
    const sse = openSse(`${server.url}/threads/shared/events/stream`, { "x-tenant": "acme" });
    await until(() => sse.frames.some((f) => f.data?.event_type === "run.completed"), "acme's thread events");
    await sleep(100);
    expect(new Set(sse.frames.filter((f) => f.data).map((f) => f.data!.run_id))).toEqual(new Set([runA]));
    sse.close();
  });

  it("authorize returning false is a 403, never a pass", async () => {
    for (const path of ["/runs", `/runs/${runA}`, `/runs/${runA}/events/stream`, "/threads/shared/runs"]) {
      const res = await get(path, "nobody");
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ detail: "Forbidden" });
    }
  });

  it("a malformed scope from authorize is a 500 reported to onError, not a wider read", async () => {
    const before = errors.length;
    const res = await get("/runs", "bad");
    expect(res.status).toBe(500);
    expect(errors.length).toBe(before + 1);
    expect(errors.at(-1)).toBeInstanceOf(ValidationError);
    expect((errors.at(-1) as ValidationError).field).toBe("scope.tenantId");
  });

  it("includeMetadata adds the caller's metadata (not dendrux's own keys) last", async () => {
    const list = await body("/runs", "acme");
    expect(Object.keys(list.items[0]!).at(-1)).toBe("metadata");
    expect(list.items[0]!.metadata).toEqual({ thread_id: "shared", team: "red" });
    const detail = await body(`/runs/${runA}`, "acme");
    expect(Object.keys(detail).at(-1)).toBe("metadata");
  });
});
