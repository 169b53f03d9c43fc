import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { stream } from "hono/streaming";
import type { RunStore } from "../store/run-store.js";
import { validateMetadataFilter } from "../store/run-store.js";
import type { RunStatus } from "../types/run-status.js";
import { parseLastEventId, QueryReader } from "./query-params.js";
import { KEEPALIVE_FRAME, sleep, toSseFrame } from "./sse.js";
import { eventJson, llmCallJson, pauseJson, runDetailJson, runSummaryJson, toolInvocationJson, traceJson } from "./wire.js";

export interface ReadRouterOptions {
  /** Read access to runs; the router never closes it. */
  readonly store: RunStore;
  /**
   * Runs before every route except `/health`, once per request (for SSE, once
   * at connect). Throw to deny — an `HTTPException` answers with its status,
   * `{"detail": message}` and its response's headers; its return value is ignored.
   */
  readonly authorize: (c: Context) => unknown;
  /** Accept `?metadata.<key>=<value>` on `/runs` (string values). @default false */
  readonly metadataFilter?: boolean;
  /** SSE poll interval. @default 500 */
  readonly pollIntervalMs?: number;
  /** SSE idle time before a `: keepalive` comment. @default 15000 */
  readonly keepaliveMs?: number;
}

const DEFAULTS = { metadataFilter: false, pollIntervalMs: 500, keepaliveMs: 15_000 } as const;
const SSE_BATCH = 100;
const REASON: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

class ParamsInvalid extends Error {
  constructor(readonly errors: unknown[]) {
    super("invalid query parameters");
  }
}

function checked(q: QueryReader): void {
  if (q.errors.length > 0) throw new ParamsInvalid(q.errors);
}

/**
 * The read API over HTTP: runs, their events (with a cursor and live over
 * SSE), LLM calls, tool calls, traces and pauses, with the reference's paths,
 * parameters, JSON shapes and status codes. Returns a Hono app: mount it with
 * `app.route("/api", router)` or serve `router.fetch` in any Web-standard host.
 *
 * @example
 * const router = makeReadRouter({ store, authorize: (c) => { if (!ok(c)) throw new HTTPException(401); } });
 */
export function makeReadRouter(options: ReadRouterOptions): Hono {
  const { store, authorize } = options;
  if (!store || typeof authorize !== "function") throw new TypeError("makeReadRouter needs { store, authorize }.");
  const config = { ...DEFAULTS, ...options };
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof ParamsInvalid) return c.json({ detail: error.errors }, 422);
    if (error instanceof HTTPException) {
      const headers = new Headers(error.res?.headers);
      headers.delete("content-type");
      headers.delete("content-length");
      const detail = error.message || REASON[error.status] || "Error";
      headers.set("content-type", "application/json");
      return new Response(JSON.stringify({ detail }), { status: error.status, headers });
    }
    return c.text("Internal Server Error", 500);
  });
  app.notFound((c) => c.json({ detail: "Not Found" }, 404));

  // Registered before the auth middleware: Hono runs handlers in order.
  app.get("/health", (c) => c.json({ status: "ok" }));
  app.use("*", async (c, next) => {
    await authorize(c);
    await next();
  });

  const notFound = (c: Context, runId: string) => c.json({ detail: `Run '${runId}' not found.` }, 404);

  app.get("/runs", async (c) => {
    const q = new QueryReader(c.req.url);
    const status = q.strings("status") as RunStatus[] | undefined;
    const agentName = q.string("agent_name");
    const parentRunId = q.string("parent_run_id");
    const tenantId = q.string("tenant_id");
    const startedAfter = q.datetime("started_after");
    const startedBefore = q.datetime("started_before");
    const limit = q.int("limit", { default: 50, ge: 1, le: 1000 });
    const offset = q.int("offset", { default: 0, ge: 0 });
    let metadataFilter: Record<string, string> | undefined;
    if (config.metadataFilter) {
      const raw = q.prefixed("metadata.");
      try {
        if (Object.keys(raw).length > 0) metadataFilter = validateMetadataFilter(raw) as Record<string, string>;
      } catch (error) {
        const key = Object.keys(raw).find((k) => !/^[A-Za-z0-9_-]+$/.test(k)) ?? "";
        q.fail({ type: "value_error", loc: ["query", `metadata.${key}`], msg: `Value error, ${(error as Error).message}`, input: raw[key] ?? null });
      }
    }
    checked(q);
    const filters = { status, agentName, parentRunId, tenantId, startedAfter, startedBefore, metadataFilter };
    const items = await store.listRuns({ ...filters, limit, offset });
    const total = await store.countRuns(filters);
    return c.json({ items: items.map(runSummaryJson), total, limit, offset });
  });

  app.get("/runs/:runId", async (c) => {
    const runId = c.req.param("runId");
    const run = await store.getRun(runId);
    return run ? c.json(runDetailJson(run)) : notFound(c, runId);
  });

  app.get("/runs/:runId/events", async (c) => {
    const runId = c.req.param("runId");
    const q = new QueryReader(c.req.url);
    const after = q.int("after");
    const limit = q.int("limit", { default: 100, ge: 1, le: 1000 });
    checked(q);
    if (!(await store.getRun(runId))) return notFound(c, runId);
    const items = await store.getEvents(runId, { afterSequenceIndex: after, limit });
    const nextCursor = items.length > 0 ? items[items.length - 1]!.sequenceIndex : (after ?? null);
    return c.json({ items: items.map(eventJson), next_cursor: nextCursor });
  });

  app.get("/runs/:runId/events/stream", async (c) => {
    const runId = c.req.param("runId");
    const q = new QueryReader(c.req.url);
    const after = q.int("after");
    checked(q);
    if (!(await store.getRun(runId))) return notFound(c, runId);
    const header = c.req.header("last-event-id");
    const fromHeader = header ? parseLastEventId(header.split(",")[0]) : null;
    let cursor = fromHeader ?? after ?? -1;
    c.header("cache-control", "no-cache");
    c.header("x-accel-buffering", "no");
    c.header("content-type", "text/event-stream; charset=utf-8");
    return stream(c, async (s) => {
      const closed = new AbortController();
      s.onAbort(() => closed.abort());
      c.req.raw.signal?.addEventListener("abort", () => closed.abort(), { once: true });
      let lastWrite = performance.now();
      while (!closed.signal.aborted) {
        const events = await store.getEvents(runId, { afterSequenceIndex: cursor, limit: SSE_BATCH });
        for (const event of events) {
          if (closed.signal.aborted) return;
          await s.write(toSseFrame(event));
          cursor = event.sequenceIndex;
        }
        if (events.length > 0) lastWrite = performance.now();
        if (events.length === SSE_BATCH) continue;
        if (performance.now() - lastWrite >= config.keepaliveMs) {
          await s.write(KEEPALIVE_FRAME);
          lastWrite = performance.now();
        }
        await sleep(config.pollIntervalMs, closed.signal);
      }
    });
  });

  /** The drill-down routes: params, then the 404 check, then one store read. */
  const page = (q: QueryReader) => ({ limit: q.int("limit", { default: 100, ge: 1, le: 1000 }), offset: q.int("offset", { default: 0, ge: 0 }) });
  const withRun = async (c: Context, q: QueryReader, read: (runId: string) => Promise<unknown>) => {
    checked(q);
    const runId = c.req.param("runId")!;
    if (!(await store.getRun(runId))) return notFound(c, runId);
    return c.json(await read(runId));
  };

  app.get("/runs/:runId/llm-calls", (c) => {
    const q = new QueryReader(c.req.url);
    const iteration = q.int("iteration");
    const { limit, offset } = page(q);
    return withRun(c, q, async (runId) => ({ items: (await store.getLlmCalls(runId, { iteration, limit, offset })).map(llmCallJson), limit, offset }));
  });

  app.get("/runs/:runId/tool-calls", (c) => {
    const q = new QueryReader(c.req.url);
    const iteration = q.int("iteration");
    const { limit, offset } = page(q);
    return withRun(c, q, async (runId) => ({
      items: (await store.getToolInvocations(runId, { iteration, limit, offset })).map(toolInvocationJson),
      limit,
      offset,
    }));
  });

  app.get("/runs/:runId/traces", (c) => {
    const q = new QueryReader(c.req.url);
    const { limit, offset } = page(q);
    return withRun(c, q, async (runId) => ({ items: (await store.getTraces(runId, { limit, offset })).map(traceJson), limit, offset }));
  });

  app.get("/runs/:runId/pauses", (c) => withRun(c, new QueryReader(c.req.url), async (runId) => ({ items: (await store.getPauses(runId)).map(pauseJson) })));

  return app;
}
