import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ValidationError } from "../errors/validation-error.js";
import type { RunScope } from "../store/run-scope.js";
import type { RunStore } from "../store/run-store.js";
import { validateMetadataFilter } from "../store/run-store.js";
import { validateScope } from "../store/run-scope.js";
import type { RunStatus } from "../types/run-status.js";
import { logger } from "../util/logger.js";
import { checked, ParamsInvalid, parseLastEventId, QueryReader, readChecked } from "./query-params.js";
import { toSseFrame } from "./sse.js";
import { sseResponse } from "./sse-response.js";
import { registerThreadRoutes } from "./thread-routes.js";
import { eventJson, llmCallJson, pauseJson, runDetailJson, runSummaryJson, toolInvocationJson, traceJson, withMetadata } from "./wire.js";

/**
 * What `authorize` returns: nothing (or `true`) lets the request through
 * unscoped; a `RunScope` lets it through and limits every read to runs in the
 * scope; `false` refuses it with 403. Throwing an `HTTPException` answers with
 * its status (recognised by shape, so an `HTTPException` from another
 * installed copy of `hono` works too).
 */
export type AuthorizeResult = RunScope | boolean | null | undefined | void;

/** Hono variables the router sets for its handlers. */
export interface ReadRouterEnv {
  Variables: { scope: RunScope | undefined };
}

export interface ReadRouterOptions {
  /** Read access to runs; the router never closes it. */
  readonly store: RunStore;
  /**
   * Runs before every route except `/health`, once per request (for SSE, once
   * at connect). Return a scope to limit what the request can read (a run
   * outside it answers exactly like a missing run), `false` to refuse (403),
   * nothing to allow. Throw an `HTTPException` to answer with its status,
   * `{"detail": message}` and its response's headers. Any error with a
   * numeric `status` and a `getResponse()` method counts as one, so it works
   * whichever copy of `hono` the app installed.
   */
  readonly authorize: (c: Context) => AuthorizeResult | Promise<AuthorizeResult>;
  /** Accept `?metadata.<key>=<value>` on `/runs` (string values). @default false */
  readonly metadataFilter?: boolean;
  /** Add `metadata` (the run's `metadata`) to run summaries and details. @default false */
  readonly includeMetadata?: boolean;
  /**
   * `/runs` counts `total` exactly up to this many matching runs; beyond it
   * `total` is this number and `"total_capped": true` is added, so a page over
   * millions of runs costs the same as one over thousands. `Infinity` always
   * counts exactly (the reference's behaviour, a full count per page).
   * @default 1000
   */
  readonly exactTotalUpTo?: number;
  /** SSE idle time before a `: keepalive` comment. @default 15000 */
  readonly keepaliveMs?: number;
  /**
   * Called with every error that becomes a 500 (and with errors that end an
   * SSE stream early). @default logs through dendrux's logger (silenced by `DENDRUX_LOG=silent`)
   */
  readonly onError?: (error: unknown, c: Context) => void;
}

const DEFAULTS = { metadataFilter: false, includeMetadata: false, keepaliveMs: 15_000, exactTotalUpTo: 1_000 } as const;
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

const defaultOnError = (error: unknown) => logger.warn("Read router: unhandled error answered 500", error);

/** An error that carries its HTTP answer (Hono's `HTTPException`, from any installed copy of `hono`), recognised by shape. */
interface HttpErrorShape {
  readonly status: number;
  readonly message: string;
  readonly res?: Response;
}

function asHttpError(error: unknown): HttpErrorShape | null {
  if (typeof error !== "object" || error === null) return null;
  const { status, getResponse } = error as { status?: unknown; getResponse?: unknown };
  const valid = typeof getResponse === "function" && typeof status === "number" && Number.isInteger(status) && status >= 200 && status <= 599;
  return valid ? (error as HttpErrorShape) : null;
}

/**
 * The read API over HTTP: runs, their events (with a cursor and live over
 * SSE), LLM calls, tool calls, traces and pauses, with the reference's paths,
 * parameters, JSON shapes and status codes; plus chat threads (`/threads/…`).
 * Returns a Hono app: mount it with `app.route("/api", router)` or serve
 * `router.fetch` in any Web-standard host.
 *
 * @example
 * const router = makeReadRouter({ store, authorize: (c) => ({ tenantId: tenantOf(c) }) });
 */
export function makeReadRouter(options: ReadRouterOptions): Hono<ReadRouterEnv> {
  const { store, authorize } = options;
  if (!store || typeof authorize !== "function") throw new TypeError("makeReadRouter needs { store, authorize }.");
  const config = { ...DEFAULTS, onError: defaultOnError, ...options };
  const upTo = config.exactTotalUpTo;
  if (upTo !== Infinity && (!Number.isSafeInteger(upTo) || upTo < 1)) {
    throw new ValidationError({ field: "exactTotalUpTo", message: "exactTotalUpTo must be an integer ≥ 1 or Infinity." });
  }
  const app = new Hono<ReadRouterEnv>();
  const report = (error: unknown, c: Context) => {
    try {
      config.onError(error, c);
    } catch {
      // A failing reporter must not turn one 500 into a crash.
    }
  };

  app.onError((error, c) => {
    if (error instanceof ParamsInvalid) return c.json({ detail: error.errors }, 422);
    const http = asHttpError(error);
    if (http) {
      const headers = new Headers(http.res?.headers);
      headers.delete("content-type");
      headers.delete("content-length");
      const detail = (typeof http.message === "string" && http.message) || REASON[http.status] || "Error";
      headers.set("content-type", "application/json");
      return new Response(JSON.stringify({ detail }), { status: http.status, headers });
    }
    report(error, c);
    return c.text("Internal Server Error", 500);
  });
  app.notFound((c) => c.json({ detail: "Not Found" }, 404));

  // Registered before the auth middleware: Hono runs handlers in order.
  app.get("/health", (c) => c.json({ status: "ok" }));
  app.use("*", async (c, next) => {
    const result = await authorize(c);
    if (result === false) throw new HTTPException(403);
    c.set("scope", result === true || result === null || result === undefined ? undefined : validateScope(result));
    await next();
  });

  const notFound = (c: Context, runId: string) => c.json({ detail: `Run '${runId}' not found.` }, 404);
  const summaryJson = (r: Parameters<typeof runSummaryJson>[0]) => withMetadata(runSummaryJson(r), r, config.includeMetadata);

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
    const before = q.string("before");
    let metadataFilter: Record<string, string> | undefined;
    if (config.metadataFilter) {
      const raw = q.prefixed("metadata.");
      try {
        if (Object.keys(raw).length > 0) metadataFilter = validateMetadataFilter(raw) as Record<string, string>;
      } catch (error) {
        const field = (error as { field?: string }).field ?? "";
        const key = field.startsWith("metadataFilter.") ? field.slice("metadataFilter.".length) : "";
        q.fail({ type: "value_error", loc: ["query", `metadata.${key}`], msg: `Value error, ${(error as Error).message}`, input: raw[key] ?? null });
      }
    }
    checked(q);
    const filters = { status, agentName, parentRunId, tenantId, startedAfter, startedBefore, metadataFilter, scope: c.var.scope };
    const { runs: items, total } = await readChecked(q, "before", "before", before, () =>
      store.listRunsPage({ ...filters, limit, offset, before }, { totalUpTo: upTo }),
    );
    const body = { items: items.map(summaryJson), total: total.count, limit, offset };
    return c.json(total.exact ? body : { ...body, total_capped: true });
  });

  /** Path check, then the run must exist inside the scope, else the same 404 as a missing run. */
  const runParam = (c: Context<ReadRouterEnv>, q: QueryReader) => q.path("run_id", c.req.param("runId")!);

  app.get("/runs/:runId", async (c) => {
    const q = new QueryReader(c.req.url);
    const runId = runParam(c, q);
    checked(q);
    const run = await store.getRun(runId, { scope: c.var.scope });
    return run ? c.json(withMetadata(runDetailJson(run), run, config.includeMetadata)) : notFound(c, runId);
  });

  app.get("/runs/:runId/events", async (c) => {
    const q = new QueryReader(c.req.url);
    const runId = runParam(c, q);
    const after = q.int("after");
    const limit = q.int("limit", { default: 100, ge: 1, le: 1000 });
    checked(q);
    const scope = c.var.scope;
    if (!(await store.getRun(runId, { scope }))) return notFound(c, runId);
    const items = await store.getEvents(runId, { afterSequenceIndex: after, limit, scope });
    const nextCursor = items.length > 0 ? items[items.length - 1]!.sequenceIndex : (after ?? null);
    return c.json({ items: items.map(eventJson), next_cursor: nextCursor });
  });

  app.get("/runs/:runId/events/stream", async (c) => {
    const q = new QueryReader(c.req.url);
    const runId = runParam(c, q);
    const after = q.int("after");
    checked(q);
    const scope = c.var.scope;
    if (!(await store.getRun(runId, { scope }))) return notFound(c, runId);
    const header = c.req.header("last-event-id");
    const fromHeader = header ? parseLastEventId(header.split(",")[0]) : null;
    const cursor = fromHeader ?? after ?? -1;
    return sseResponse(
      c,
      config.keepaliveMs,
      async function* (signal) {
        for await (const event of store.streamEvents(runId, { afterSequenceIndex: cursor, signal, scope })) yield toSseFrame(event);
      },
      (error) => report(error, c),
    );
  });

  /** The drill-down routes: params, then the 404 check, then one store read (scoped in SQL as well). */
  const page = (q: QueryReader) => ({ limit: q.int("limit", { default: 100, ge: 1, le: 1000 }), offset: q.int("offset", { default: 0, ge: 0 }) });
  const withRun = async (c: Context<ReadRouterEnv>, q: QueryReader, runId: string, read: (runId: string, scope: RunScope | undefined) => Promise<unknown>) => {
    checked(q);
    const scope = c.var.scope;
    if (!(await store.getRun(runId, { scope }))) return notFound(c, runId);
    return c.json(await read(runId, scope));
  };

  app.get("/runs/:runId/llm-calls", (c) => {
    const q = new QueryReader(c.req.url);
    const runId = runParam(c, q);
    const iteration = q.int("iteration");
    const { limit, offset } = page(q);
    return withRun(c, q, runId, async (id, scope) => ({ items: (await store.getLlmCalls(id, { iteration, limit, offset, scope })).map(llmCallJson), limit, offset }));
  });

  app.get("/runs/:runId/tool-calls", (c) => {
    const q = new QueryReader(c.req.url);
    const runId = runParam(c, q);
    const iteration = q.int("iteration");
    const { limit, offset } = page(q);
    return withRun(c, q, runId, async (id, scope) => ({
      items: (await store.getToolInvocations(id, { iteration, limit, offset, scope })).map(toolInvocationJson),
      limit,
      offset,
    }));
  });

  app.get("/runs/:runId/traces", (c) => {
    const q = new QueryReader(c.req.url);
    const runId = runParam(c, q);
    const { limit, offset } = page(q);
    return withRun(c, q, runId, async (id, scope) => ({ items: (await store.getTraces(id, { limit, offset, scope })).map(traceJson), limit, offset }));
  });

  app.get("/runs/:runId/pauses", (c) => {
    const q = new QueryReader(c.req.url);
    const runId = runParam(c, q);
    return withRun(c, q, runId, async (id, scope) => ({ items: (await store.getPauses(id, { scope })).map(pauseJson) }));
  });

  registerThreadRoutes(app, { store, keepaliveMs: config.keepaliveMs, report });
  return app;
}
