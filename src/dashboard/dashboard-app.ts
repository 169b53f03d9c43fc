import { readFileSync } from "node:fs";
import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { DashboardReader } from "../store/dashboard-reader.js";
import { readCost } from "../store/rows.js";
import { buildTimeline } from "./timeline.js";

export interface DashboardAppOptions {
  readonly reader: DashboardReader;
  /** Requests to `/api/*` must carry `Authorization: Bearer <token>`. */
  readonly authToken?: string | null;
  /** Where `index.html`, `app.js` and `app.css` live. @default the package's `dashboard/` folder */
  readonly staticDir?: URL;
}

const STATIC: Record<string, string> = { "/": "index.html", "/index.html": "index.html", "/app.js": "app.js", "/app.css": "app.css" };
const TYPES: Record<string, string> = { html: "text/html; charset=utf-8", js: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8" };

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function clampInt(raw: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number | null {
  if (raw === undefined) return fallback;
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) return null;
  return Math.min(max, Math.max(min, Number(raw)));
}

/**
 * The web dashboard: a read-only JSON API over the run tables (the Python
 * reference's dashboard routes) plus the single-page UI that renders it.
 */
export function makeDashboardApp(options: DashboardAppOptions): Hono {
  const { reader } = options;
  const staticDir = options.staticDir ?? new URL("../../dashboard/", import.meta.url);
  const app = new Hono();
  app.use("/api/*", cors({ origin: "*", allowMethods: ["GET"], allowHeaders: ["*", "Authorization"] }));
  app.use("/api/*", async (c, next) => {
    const token = options.authToken;
    if (token && c.req.method !== "OPTIONS" && !sameToken(c.req.header("authorization") ?? "", `Bearer ${token}`)) {
      return c.json({ detail: "Invalid or missing auth token." }, 401);
    }
    await next();
  });
  app.onError((_error, c) => c.text("Internal Server Error", 500));

  app.get("/api/health", (c) => c.json({ status: "ok" }));

  app.get("/api/runs", async (c) => {
    const limit = clampInt(c.req.query("limit"), 50, 1, 200);
    const offset = clampInt(c.req.query("offset"), 0, 0);
    if (limit === null || offset === null) return c.json({ detail: "limit and offset must be integers" }, 422);
    const status = c.req.query("status") || undefined;
    const agent = c.req.query("agent") || undefined;
    const tenant = c.req.query("tenant") || undefined;
    return c.json(await reader.listRuns({ limit, offset, ...(status ? { status } : {}), ...(agent ? { agent } : {}), ...(tenant ? { tenant } : {}) }));
  });

  const notFound = (runId: string) => ({ detail: `Run '${runId}' not found.` });

  app.get("/api/runs/:runId", async (c) => {
    const runId = c.req.param("runId");
    const row = await reader.getRunRow(runId);
    if (!row) return c.json(notFound(runId), 404);
    const [events, traces, toolCalls] = await Promise.all([reader.events(runId), reader.traces(runId), reader.toolCalls(runId)]);
    const input = reader.json(row.input_data) as { input?: unknown } | null;
    const output = reader.json(row.output_data) as { answer?: unknown } | null;
    const started = events.find((e) => e.event_type === "run.started");
    const byIteration: Record<string, unknown[]> = {};
    for (const t of traces) {
      const key = String((t.meta as { iteration?: number } | null)?.iteration ?? 0);
      (byIteration[key] ??= []).push({ role: t.role, content: t.content, order_index: t.order_index, meta: t.meta, created_at: t.created_at });
    }
    return c.json({
      summary: {
        run_id: row.id,
        agent_name: row.agent_name,
        status: row.status,
        model: row.model,
        strategy: row.strategy,
        input_text: typeof input?.input === "string" ? input.input : null,
        answer: typeof output?.answer === "string" ? output.answer : null,
        error: row.error,
        iteration_count: row.iteration_count,
        total_input_tokens: row.total_input_tokens,
        total_output_tokens: row.total_output_tokens,
        total_cost_usd: readCost(row.total_cost_usd),
        total_cache_read_tokens: row.total_cache_read_tokens,
        total_cache_creation_tokens: row.total_cache_creation_tokens,
        total_reasoning_tokens: Number(row.total_reasoning_tokens ?? 0),
        created_at: reader.iso(row.created_at),
        updated_at: reader.iso(row.updated_at),
      },
      nodes: buildTimeline(events, traces, toolCalls),
      system_prompt: (started?.data as { system_prompt?: string } | null)?.system_prompt ?? null,
      messages_by_iteration: byIteration,
      delegation: await reader.delegation(row),
    });
  });

  for (const [path, read, key] of [
    ["events", (id: string) => reader.events(id), "events"],
    ["traces", (id: string) => reader.traces(id), "traces"],
    ["tool-calls", (id: string) => reader.toolCalls(id), "tool_calls"],
    ["llm-calls", (id: string) => reader.llmCalls(id), "llm_calls"],
  ] as const) {
    app.get(`/api/runs/:runId/${path}`, async (c) => {
      const runId = c.req.param("runId");
      if (!(await reader.getRunRow(runId))) return c.json(notFound(runId), 404);
      return c.json({ [key]: await read(runId) });
    });
  }

  app.get("*", (c) => {
    const file = STATIC[c.req.path];
    if (!file) return c.json({ detail: "Not Found" }, 404);
    const body = readFileSync(new URL(file, staticDir), "utf8");
    return c.body(body, 200, { "content-type": TYPES[file.split(".").pop()!]!, "cache-control": "no-cache" });
  });
  return app;
}

/** True for an interface only this machine can reach: `localhost`, `127.x.x.x`, `::1`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}
