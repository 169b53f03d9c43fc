import type { Context, Hono } from "hono";
import { ThreadCursor } from "../store/live/thread-cursor.js";
import type { RunStore } from "../store/run-store.js";
import { checked, QueryReader, readChecked } from "./query-params.js";
import type { ReadRouterEnv } from "./read-router.js";
import { toThreadSseFrame } from "./sse.js";
import { sseResponse } from "./sse-response.js";
import { threadSummaryJson, threadTurnJson } from "./wire.js";

interface ThreadRouteDeps {
  readonly store: RunStore;
  readonly keepaliveMs: number;
  readonly report: (error: unknown, c: Context) => void;
}

/**
 * `/threads/:threadId/…`: a chat thread is every run whose `metadata.thread_id`
 * is the id. A thread with no runs (in the caller's scope) is empty, not 404,
 * so a client can open a new thread's stream before its first turn.
 */
export function registerThreadRoutes(app: Hono<ReadRouterEnv>, deps: ThreadRouteDeps): void {
  const { store } = deps;

  app.get("/threads/:threadId/runs", async (c) => {
    const q = new QueryReader(c.req.url);
    const threadId = q.path("thread_id", c.req.param("threadId"));
    const limit = q.int("limit", { default: 50, ge: 1, le: 1000 })!;
    const before = q.string("before");
    checked(q);
    const items = await readChecked(q, "before", "before", before, () => store.getThread(threadId, { limit, before, scope: c.var.scope }));
    return c.json({ items: items.map(threadTurnJson), next_before: items.length === limit ? items[0]!.runId : null });
  });

  app.get("/threads/:threadId/summary", async (c) => {
    const q = new QueryReader(c.req.url);
    const threadId = q.path("thread_id", c.req.param("threadId"));
    checked(q);
    return c.json(threadSummaryJson(await store.threadSummary(threadId, { scope: c.var.scope })));
  });

  app.get("/threads/:threadId/events/stream", async (c) => {
    const q = new QueryReader(c.req.url);
    const threadId = q.path("thread_id", c.req.param("threadId"));
    const after = q.string("after");
    if (after !== undefined && !ThreadCursor.parse(after)) {
      q.fail({ type: "value_error", loc: ["query", "after"], msg: "Value error, not a thread cursor (use the id of a thread stream frame)", input: after });
    }
    checked(q);
    // Last-Event-ID wins when it is a cursor; a malformed one falls back to ?after, as on the run stream.
    const header = c.req.header("last-event-id")?.trim();
    const cursor = header && ThreadCursor.parse(header) ? header : after;
    const scope = c.var.scope;
    return sseResponse(
      c,
      deps.keepaliveMs,
      async function* (signal) {
        for await (const item of store.streamThreadEvents(threadId, { after: cursor, signal, scope })) yield toThreadSseFrame(item);
      },
      (error) => deps.report(error, c),
    );
  });
}
