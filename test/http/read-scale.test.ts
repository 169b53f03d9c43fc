import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { HTTPException } from "hono/http-exception";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ValidationError } from "../../src/errors/validation-error.js";
import { makeReadRouter } from "../../src/http/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { listen } from "../support/http.js";
import { openEventWriter, openSse, until } from "../support/live.js";
import { insertRuns } from "../support/many-runs.js";

const RUNS = 40_000;
const BASE = Date.UTC(2026, 0, 1);
const runId = (i: number) => `01READ${String(i).padStart(20, "0")}`;
const root = join(import.meta.dirname, "../..");

describeEachBackend("read path at scale over HTTP", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  let server: { url: string; close: () => Promise<void> };
  let capped: { url: string; close: () => Promise<void> };
  let writer: Awaited<ReturnType<typeof openEventWriter>>;
  const get = async (base: string, path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    database = await backend.create();
    // The writer prepares the schema (SQLite) before the runs go in.
    writer = await openEventWriter(database.url);
    await insertRuns(
      database.url,
      Array.from({ length: RUNS }, (_, i) => ({ id: runId(i), createdAt: new Date(BASE + Math.floor(i / 2) * 1000), status: i % 4 === 0 ? "error" : "success" })),
    );
    store = RunStore.fromDatabaseUrl(database.url, { listConnections: 2 });
    server = await listen(makeReadRouter({ store, authorize: () => undefined, keepaliveMs: 60_000 }).fetch);
    capped = await listen(makeReadRouter({ store, authorize: () => undefined, exactTotalUpTo: 1000 }).fetch);
  }, 120_000);

  afterAll(async () => {
    await capped?.close();
    await server?.close();
    await store?.close();
    await writer?.close();
    await database?.cleanup();
  });

  it("/runs: an exact total below the cap keeps the reference's body; above it, total is the cap and total_capped is added", async () => {
    const small = await get(capped.url, `/runs?limit=2&status=error&started_after=${new Date(BASE + (RUNS / 2 - 800) * 1000).toISOString()}`);
    expect(small.status).toBe(200);
    expect(Object.keys(JSON.parse(small.text))).toEqual(["items", "total", "limit", "offset"]);
    expect(JSON.parse(small.text).total).toBe(400);
    const large = JSON.parse((await get(capped.url, "/runs?limit=2&status=error")).text);
    expect(Object.keys(large)).toEqual(["items", "total", "limit", "offset", "total_capped"]);
    expect(large).toMatchObject({ total: 1000, total_capped: true, limit: 2, offset: 0 });
    expect(large.items.map((r: { run_id: string }) => r.run_id)).toEqual([runId(RUNS - 4), runId(RUNS - 8)]);
    // The default cap is 1,000; Infinity counts every run, as the reference does.
    expect(JSON.parse((await get(server.url, "/runs?limit=1")).text)).toMatchObject({ total: 1000, total_capped: true });
    const exact = makeReadRouter({ store, authorize: () => undefined, exactTotalUpTo: Infinity });
    const body = JSON.parse(await (await exact.request("/runs?limit=1")).text());
    expect(Object.keys(body)).toEqual(["items", "total", "limit", "offset"]);
    expect(body.total).toBe(RUNS);
  });

  it("exactTotalUpTo must be an integer ≥ 1 or Infinity", () => {
    for (const exactTotalUpTo of [0, 2.5, -1, Number.NaN]) {
      expect(() => makeReadRouter({ store, authorize: () => undefined, exactTotalUpTo })).toThrow(
        new ValidationError({ field: "exactTotalUpTo", message: "exactTotalUpTo must be an integer ≥ 1 or Infinity." }),
      );
    }
  });

  it("/runs?before=<run id> pages newest first across equal created_at; an unknown cursor answers 422", async () => {
    const first = JSON.parse((await get(server.url, "/runs?limit=3")).text);
    expect(first.items.map((r: { run_id: string }) => r.run_id)).toEqual([runId(RUNS - 1), runId(RUNS - 2), runId(RUNS - 3)]);
    const next = JSON.parse((await get(server.url, `/runs?limit=3&before=${runId(RUNS - 3)}`)).text);
    expect(next.items.map((r: { run_id: string }) => r.run_id)).toEqual([runId(RUNS - 4), runId(RUNS - 5), runId(RUNS - 6)]);
    expect(Object.keys(next)).toEqual(Object.keys(first));
    const filtered = JSON.parse((await get(server.url, `/runs?limit=2&status=error&before=${runId(RUNS - 3)}`)).text);
    expect(filtered.items.map((r: { run_id: string }) => r.run_id)).toEqual([runId(RUNS - 4), runId(RUNS - 8)]);
    const bad = await get(server.url, "/runs?before=01NOPE");
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.text)).toEqual({
      detail: [{ type: "value_error", loc: ["query", "before"], msg: "Value error, before must be the id of a run (the last run of the previous page).", input: "01NOPE" }],
    });
  });

  it("authorize's HTTPException from a second installed copy of hono answers with its status, message and headers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dendrux-hono-copy-"));
    try {
      cpSync(join(root, "node_modules/hono"), join(dir, "node_modules/hono"), { recursive: true });
      const copy = (await import(pathToFileURL(join(dir, "node_modules/hono/dist/http-exception.js")).href)) as typeof import("hono/http-exception");
      expect(copy.HTTPException).not.toBe(HTTPException);
      const refusal = new copy.HTTPException(401, { message: "token expired", res: new Response(null, { headers: { "www-authenticate": 'Bearer error="invalid_token"' } }) });
      expect(refusal instanceof HTTPException).toBe(false);
      const router = makeReadRouter({
        store,
        authorize: () => {
          throw refusal;
        },
      });
      const response = await router.request("/runs");
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
      expect(await response.json()).toEqual({ detail: "token expired" });
      const bare = makeReadRouter({
        store,
        authorize: () => {
          throw new copy.HTTPException(429);
        },
      });
      const limited = await bare.request("/runs/x");
      expect([limited.status, await limited.json()]).toEqual([429, { detail: "Too Many Requests" }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an SSE stream keeps its cadence while heavy list queries run: frames go on arriving, in order, before they finish", async () => {
    const liveRun = runId(RUNS + 1);
    const w = await writer.createRun(liveRun);
    const sse = openSse(`${server.url}/runs/${liveRun}/events/stream`);
    const seqs = () => sse.frames.filter((f) => f.data).map((f) => Number(f.id));
    try {
      await w.emit("test.tick", { i: 0 });
      await until(() => seqs().length === 1, "the first frame");
      // Heavy: a deep offset walks (and reads) every skipped run, and the exact count reads every index entry.
      let pending = 12;
      const heavy = Promise.all(
        Array.from({ length: pending }, () =>
          Promise.all([store.listRuns({ offset: RUNS - 50, limit: 50 }), store.countRuns({})]).finally(() => {
            pending -= 1;
          }),
        ),
      );
      // One event at a time, each written once the previous one reached the client, while the queries last.
      let during = 0;
      for (let i = 1; pending > 0 && i < 1000; i++) {
        await w.emit("test.tick", { i });
        await until(() => seqs().length === i + 1, `frame ${i}`);
        if (pending > 0) during = i;
      }
      const results = await heavy;
      expect(results.every(([items, count]) => items.length === 50 && count >= RUNS)).toBe(true);
      expect(during).toBeGreaterThanOrEqual(3);
      expect(seqs()).toEqual(Array.from({ length: seqs().length }, (_, i) => i));
    } finally {
      sse.close();
    }
  });
});
