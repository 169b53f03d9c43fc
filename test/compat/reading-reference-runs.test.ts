import { afterAll, beforeAll, expect, it } from "vitest";
import { makeReadRouter } from "../../src/http/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { readSse } from "../support/http.js";
import { camelRecord, referenceFields, type Golden, loadGolden, loadReferenceDatabase, ordered, type RouterAnswer, type Scenario, type SseAnswer } from "./reference-fixtures.js";

/**
 * Runs written by the Python reference, read back by our `RunStore` and served by our read router: every stored
 * value, status code and key order the reference gave, except the documented departures asserted at the end.
 */
describeEachBackend("reading runs the Python reference wrote", (backend) => {
  const golden: Golden = loadGolden(backend.name);
  let database: TestDatabase;
  let store: RunStore;
  let router: ReturnType<typeof makeReadRouter>;

  beforeAll(async () => {
    database = await loadReferenceDatabase(backend);
    store = RunStore.fromDatabaseUrl(database.url);
    router = makeReadRouter({ store, authorize: () => undefined });
  });
  afterAll(async () => {
    await store?.close();
    await database?.cleanup();
  });

  it("the fixtures come from the reference at commit 7fc44c2 and hold every scenario", () => {
    expect(golden.reference).toEqual({ package: "dendrux", version: "0.2.0a10", commit: "7fc44c2" });
    expect(Object.keys(golden.runs)).toHaveLength(18);
  });

  const scenarios = Object.keys(loadGolden(backend.name).runs) as Scenario[];

  it.each(scenarios)("RunStore returns every value the reference's RunStore returned: %s", async (scenario) => {
    const runId = golden.runs[scenario];
    const want = golden.store.runs[scenario];
    const same = (ours: unknown, theirs: unknown) => expect(ordered(referenceFields(ours, theirs))).toEqual(ordered(theirs));
    same(await store.getRun(runId), camelRecord(want.detail));
    same(await store.getEvents(runId), want.events.map(camelRecord));
    same(await store.getLlmCalls(runId), want.llm_calls.map(camelRecord));
    same(await store.getToolInvocations(runId), want.tool_invocations.map(camelRecord));
    same(await store.getTraces(runId), want.traces.map(camelRecord));
    same(await store.getPauses(runId), want.pauses.map(camelRecord));
    expect(await store.getPiiMapping(runId)).toEqual(want.pii_mapping);
  });

  /** On SQLite the reference matches `true` with `1` (and `1` with `true`); we compare type and value on both engines. */
  const LOOSE_ON_SQLITE = new Set(["turn_true", "vip_1"]);

  it("thread queries (metadataFilter with strings, non-ASCII, numbers and booleans) find the reference's runs", async () => {
    for (const [name, q] of Object.entries(golden.store.threads)) {
      if (backend.name === "sqlite" && LOOSE_ON_SQLITE.has(name)) continue;
      const listed = await store.listRuns({ metadataFilter: q.filter });
      const theirs = q.items.map(camelRecord);
      expect(ordered(referenceFields(listed, theirs)), name).toEqual(ordered(theirs));
      expect(await store.countRuns({ metadataFilter: q.filter }), name).toBe(q.count);
    }
    expect(golden.store.threads.thread_u1!.count).toBe(2);
  });

  it("departure: a metadata filter never matches a boolean with a number", async () => {
    for (const name of LOOSE_ON_SQLITE) {
      const q = golden.store.threads[name]!;
      expect(q.count, name).toBe(backend.name === "sqlite" ? 2 : 0);
      expect(await store.listRuns({ metadataFilter: q.filter }), name).toEqual([]);
      expect(await store.countRuns({ metadataFilter: q.filter }), name).toBe(0);
    }
  });

  /** Where the reference's answer is a bug we fixed on purpose (the documented departures). */
  const DEPARTURES = new Set(["/runs?started_after=2020-01-01T00:00:00Z"]);
  const answers = loadGolden(backend.name).router.filter((a) => !DEPARTURES.has(a.path));
  /** One test per run (all its routes and parameters), plus one for the collection routes. */
  const groups = new Map<string, RouterAnswer[]>();
  for (const a of answers) {
    const key = /^\/runs\/([^/?]+)/.exec(a.path)?.[1] ?? "/runs, /health";
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }

  it.each([...groups.entries()])("the router answers %s as the reference did (status, values, key order)", async (_group, group: RouterAnswer[]) => {
    for (const want of group) {
      const res = await router.request(want.path);
      expect(res.status, want.path).toBe(want.status);
      expect(ordered(await res.json()), want.path).toEqual(ordered(want.body));
    }
  });

  it("departure: started_after filters instead of answering 500", async () => {
    const reference = golden.router.find((a) => a.path === "/runs?started_after=2020-01-01T00:00:00Z")!;
    expect(reference.status).toBe(500);
    const all = golden.router.find((a) => a.path === "/runs")!.body as { total: number };
    const res = await router.request("/runs?started_after=2020-01-01T00:00:00Z");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { total: number }).total).toBe(all.total);
    const none = await router.request("/runs?started_after=2999-01-01T00:00:00Z");
    expect(((await none.json()) as { total: number; items: unknown[] })).toMatchObject({ total: 0, items: [] });
  });

  const parseFrame = (raw: string) => {
    const lines = raw.trimEnd().split("\n");
    return { id: lines[0], event: lines[1], data: JSON.parse(lines[2]!.slice("data: ".length)) as { timestamp: string } };
  };

  it.each(loadGolden(backend.name).sse.map((a): [string, SseAnswer] => [`${a.path} ${JSON.stringify(a.headers)}`, a]))(
    "SSE %s streams the reference's frames (timestamps end in Z: a documented departure)",
    async (_title, want) => {
      const res = await router.request(want.path, { headers: want.headers });
      expect(res.status).toBe(want.status);
      if (!want.frames) {
        expect(await res.json()).toEqual(want.body);
        return;
      }
      for (const [name, value] of Object.entries(want.response_headers!)) expect(res.headers.get(name), name).toBe(value);
      const frames = await readSse(res, (got) => got.length >= want.frames!.length);
      expect(frames).toHaveLength(want.frames.length);
      frames.forEach((frame, i) => {
        const theirs = parseFrame(want.frames![i]!);
        const ours = parseFrame(frame.raw);
        expect([ours.id, ours.event]).toEqual([theirs.id, theirs.event]);
        expect(ordered(ours.data)).toEqual(ordered(theirs.data));
        expect(theirs.data.timestamp).toMatch(/\+00:00Z$/);
        expect(ours.data.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$/);
      });
    },
  );
});
