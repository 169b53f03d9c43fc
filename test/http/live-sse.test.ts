import { spawn } from "node:child_process";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeReadRouter } from "../../src/http/index.js";
import { describeEachBackend, type TestDatabase, withDatabase } from "../support/backends.js";
import { listen } from "../support/http.js";
import { countingStore, openEventWriter, openSse, sleep, until } from "../support/live.js";
import type { RunStore } from "../../src/store/index.js";

const root = join(import.meta.dirname, "../..");
const ids = (frames: { id?: string; data?: Record<string, unknown> }[]) => frames.filter((f) => f.data).map((f) => Number(f.id));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describeEachBackend("pushed SSE", (backend) => {
  let database: TestDatabase;
  let counted: Awaited<ReturnType<typeof countingStore>>;
  let writer: Awaited<ReturnType<typeof openEventWriter>>;
  let server: { url: string; close: () => Promise<void> };
  let store: RunStore;
  let runCounter = 0;
  const newRunId = () => `01LIVE${backend.name.toUpperCase().padEnd(8, "X")}${String(runCounter++).padStart(12, "0")}`;

  beforeAll(async () => {
    database = await backend.create();
    writer = await openEventWriter(database.url);
    // A long poll period: on SQLite only other processes' writes need it; here it never fires unless a test says so.
    counted = await countingStore(database, backend.name === "sqlite" ? 60_000 : 60_000);
    store = counted.store;
    server = await listen(makeReadRouter({ store, authorize: () => undefined, keepaliveMs: 60_000 }).fetch);
  });

  afterAll(async () => {
    await server.close();
    await counted.close();
    await writer.close();
    await database.cleanup();
  });

  it("25 viewers get a live event without any poll: one read per write, not per viewer", async () => {
    const runId = newRunId();
    const w = await writer.createRun(runId);
    for (let i = 0; i < 3; i++) await w.emit("test.tick", { i });
    const viewers = range(25).map(() => openSse(`${server.url}/runs/${runId}/events/stream`));
    await until(() => viewers.every((v) => ids(v.frames).length === 3), "the backlog on every viewer");
    const idle = counted.queries();
    await sleep(300);
    expect(counted.queries()).toBe(idle); // nothing polls while nothing is written

    await w.emit("test.tick", { i: 3 });
    await until(() => viewers.every((v) => ids(v.frames).length === 4), "the live event on every viewer");
    expect(counted.queries() - idle).toBe(1);

    const before = counted.queries();
    for (let i = 4; i < 10; i++) await w.emit("test.tick", { i });
    await until(() => viewers.every((v) => ids(v.frames).length === 10), "six more events");
    const reads = counted.queries() - before;
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(6);
    for (const v of viewers) expect(ids(v.frames)).toEqual(range(10));
    for (const v of viewers) v.close();
  });

  it("RunStore.streamEvents shares the hub: many iterators, one read per write", async () => {
    const runId = newRunId();
    const w = await writer.createRun(runId);
    await w.emit("test.tick", { i: 0 });
    const controller = new AbortController();
    const seen: number[][] = range(10).map(() => []);
    const readers = seen.map(async (out) => {
      for await (const event of store.streamEvents(runId, { signal: controller.signal })) out.push(event.sequenceIndex);
    });
    await until(() => seen.every((s) => s.length === 1), "the first event on every iterator");
    const before = counted.queries();
    await w.emit("test.tick", { i: 1 });
    await until(() => seen.every((s) => s.length === 2), "the live event on every iterator");
    expect(counted.queries() - before).toBe(1);
    controller.abort();
    await Promise.all(readers);
    expect(seen.every((s) => s.join() === "0,1")).toBe(true);
  });

  it("a writer in another process: every event arrives, in order", async () => {
    const runId = newRunId();
    await writer.createRun(runId);
    // SQLite has no cross-process channel: this store polls each watched run.
    const polled = await countingStore(database, 40);
    const local = await listen(makeReadRouter({ store: polled.store, authorize: () => undefined }).fetch);
    const viewers = range(8).map(() => openSse(`${local.url}/runs/${runId}/events/stream`));
    await sleep(100);
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "test/support/event-writer-child.ts"), database.url, runId, "20", "5"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await until(() => viewers.every((v) => ids(v.frames).length === 20), "20 events from the child process", 20_000);
    expect(await exited).toBe(0);
    for (const v of viewers) expect(ids(v.frames)).toEqual(range(20));
    for (const v of viewers) v.close();
    await local.close();
    await polled.close();
  }, 30_000);

  it("viewers that disconnect at random and reconnect with Last-Event-ID lose and repeat nothing", async () => {
    const runId = newRunId();
    const w = await writer.createRun(runId);
    const total = 600;
    let written = 0;
    const writing = (async () => {
      while (written < total) {
        await w.emit("test.tick", { i: written });
        written += 1;
        if (written % 50 === 0) await sleep(5);
      }
    })();
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const viewer = async () => {
      const got: number[] = [];
      let reconnects = 0;
      while (got.length === 0 || got[got.length - 1]! < total - 1) {
        const headers: Record<string, string> = got.length > 0 ? { "last-event-id": String(got[got.length - 1]) } : {};
        const sse = openSse(`${server.url}/runs/${runId}/events/stream`, headers);
        const take = 1 + random(80);
        const start = Date.now();
        while (ids(sse.frames).length < take && Date.now() - start < 2000) await sleep(2);
        sse.close();
        // The client handles `take` frames, then drops the connection and resumes after the last one it handled.
        got.push(...ids(sse.frames).slice(0, take));
        reconnects += 1;
      }
      return { got, reconnects };
    };
    const results = await Promise.all(range(6).map(() => viewer()));
    await writing;
    for (const { got, reconnects } of results) {
      expect(got).toEqual(range(total));
      expect(reconnects).toBeGreaterThan(3);
    }
  }, 60_000);

  // LISTEN exists only on PostgreSQL: SQLite has no connection to lose.
  (backend.name === "postgres" ? it : () => undefined)("the LISTEN connection killed mid-stream: reconnects, catches up, loses nothing", async () => {
    const runId = newRunId();
    const w = await writer.createRun(runId);
    const viewers = range(5).map(() => openSse(`${server.url}/runs/${runId}/events/stream`));
    for (let i = 0; i < 5; i++) await w.emit("test.tick", { i });
    await until(() => viewers.every((v) => ids(v.frames).length === 5), "the first five events");
    const killed = await withDatabase(database.url, async (db) => {
      const { rows } = await sql<{ ok: boolean }>`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN dendrux_run_events'`.execute(db);
      return rows.filter((r) => r.ok).length;
    });
    expect(killed).toBe(1);
    // Written while nobody listens: the reconnection reads them back.
    for (let i = 5; i < 15; i++) await w.emit("test.tick", { i });
    await until(() => viewers.every((v) => ids(v.frames).length === 15), "all fifteen events after the reconnection");
    for (const v of viewers) expect(ids(v.frames)).toEqual(range(15));
    for (const v of viewers) v.close();
  }, 20_000);
});
