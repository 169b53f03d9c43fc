import { randomUUID, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono, type Context } from "hono";
import { basePath } from "hono/route";
import type { Agent } from "../agent/agent.js";
import { DendruxError } from "../errors/dendrux-error.js";
import { ValidationError } from "../errors/validation-error.js";
import type { MetadataFilter, RunCount, RunFilters, RunStore } from "../store/run-store.js";
import { RunStatus, isTerminalStatus } from "../types/run-status.js";
import { logger } from "../util/logger.js";
import { parseDecisions, parseInput, parseToolResults, submitDecisions } from "./actions.js";
import {
  delegationJson,
  eventItemJson,
  inputText,
  llmCallItemJson,
  openPause,
  runItemJson,
  summaryJson,
  toolCallItemJson,
  traceItemJson,
} from "./dashboard-json.js";
import { buildTimeline } from "./timeline.js";

export interface DashboardAppOptions {
  /** Where runs are read from. */
  readonly store: RunStore;
  /**
   * Requests to `/api/*` must carry `Authorization: Bearer <token>`. Without a
   * token the API answers only requests addressed to a loopback host
   * (`localhost`, `127.0.0.1`, `[::1]`).
   */
  readonly authToken?: string | null;
  /**
   * Agents whose paused runs the dashboard may act on (approve, submit a
   * client tool's result, answer, cancel), matched by `agent_name`. A run whose
   * agent is not here can only be cancelled.
   */
  readonly agents?: readonly Agent[];
  /** Cancels a run whose agent is not registered; without it such runs cannot be cancelled here. */
  readonly cancelRun?: (runId: string) => Promise<void>;
  /** Where `index.html`, `app.js` and `app.css` live. @default the package's `dashboard/` folder */
  readonly staticDir?: URL;
}

/** The run list counts `total` exactly up to this many runs; beyond, `total` is this and `total_capped` is true. */
const EXACT_TOTAL_UP_TO = 1_000;
const STATIC: Record<string, string> = { "/": "index.html", "/index.html": "index.html", "/app.js": "app.js", "/app.css": "app.css" };
const TYPES: Record<string, string> = { html: "text/html; charset=utf-8", js: "text/javascript; charset=utf-8", mjs: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8" };
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'";

/** The UI library's browser modules, served from the installed packages (never a CDN). */
function vendorFiles(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const preact = dirname(require.resolve("preact/package.json"));
  // htm's exports map has no ./package.json; its CommonJS entry sits beside the module build.
  const htm = dirname(require.resolve("htm"));
  return {
    "/vendor/preact.mjs": join(preact, "dist", "preact.mjs"),
    "/vendor/hooks.mjs": join(preact, "hooks", "dist", "hooks.mjs"),
    "/vendor/htm.mjs": join(htm, "htm.mjs"),
  };
}

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

/** True for an interface only this machine can reach: `localhost`, `127.x.x.x`, `::1`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The host name of a `Host` header (`[::1]:8001` → `::1`). */
function hostName(header: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  return bracketed ? bracketed[1]! : header.replace(/:\d+$/, "");
}

/** `key=value` (a string) or `key:=json` (a number or boolean), as the run list's `metadata` parameter takes it. */
function metadataFilter(pairs: readonly string[]): MetadataFilter {
  const filter: Record<string, string | number | boolean> = {};
  for (const pair of pairs) {
    const typed = /^([^=:]+):=(.*)$/.exec(pair);
    const plain = /^([^=]+)=(.*)$/.exec(pair);
    if (typed) {
      let value: unknown;
      try {
        value = JSON.parse(typed[2]!);
      } catch {
        value = undefined;
      }
      if (typeof value !== "number" && typeof value !== "boolean") throw new ValidationError({ field: "metadata", message: `metadata ${pair}: after ":=" give a number or true/false.` });
      filter[typed[1]!.trim()] = value;
    } else if (plain) {
      filter[plain[1]!.trim()] = plain[2]!;
    } else {
      throw new ValidationError({ field: "metadata", message: `metadata ${JSON.stringify(pair)}: expected key=value.` });
    }
  }
  return filter;
}

/** The caller's metadata without the runtime's own `dendrux.*` keys; `null` when nothing is left. */
function userMetadata(meta: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!meta) return null;
  const own = Object.entries(meta).filter(([key]) => !key.startsWith("dendrux."));
  return own.length > 0 ? Object.fromEntries(own) : null;
}

/**
 * The web dashboard: the Python reference's dashboard JSON API over a
 * `RunStore`, the actions an operator takes on paused runs, and the
 * single-page UI that renders both. Serve it at the root, or under a prefix
 * with Hono's `app.route()` (or `app.mount()`); the bare prefix redirects to
 * its folder URL, where the page's relative links resolve.
 *
 * @example
 * app.route("/ops/dashboard", makeDashboardApp({ store, authToken: process.env.DASHBOARD_TOKEN }));
 */
export function makeDashboardApp(options: DashboardAppOptions): Hono {
  const { store } = options;
  const token = options.authToken || null;
  const agents = new Map((options.agents ?? []).map((a) => [a.name, a]));
  const staticDir = options.staticDir ?? new URL("../../dashboard/", import.meta.url);
  const vendor = vendorFiles();
  const app = new Hono();

  const requestIds = new WeakMap<Request, string>();
  const requestId = (c: Context) => {
    let id = requestIds.get(c.req.raw);
    if (!id) requestIds.set(c.req.raw, (id = randomUUID()));
    return id;
  };
  app.use("*", async (c, next) => {
    c.header("x-request-id", requestId(c));
    await next();
  });
  app.use("/api/*", async (c, next) => {
    if (token) {
      if (!sameToken(c.req.header("authorization") ?? "", `Bearer ${token}`)) return c.json({ detail: "Invalid or missing auth token." }, 401);
    } else if (!isLoopbackHost(hostName(c.req.header("host") ?? ""))) {
      // Without a token only this machine may ask (a DNS-rebinding page gets a foreign Host header).
      return c.json({ detail: "This dashboard has no auth token, so it answers only on localhost. Start it with an auth token to reach it from elsewhere." }, 403);
    }
    if (c.req.method === "POST") {
      if (!/^application\/json\b/i.test(c.req.header("content-type") ?? "")) return c.json({ detail: "Send actions as application/json." }, 415);
      const origin = c.req.header("origin");
      if (origin && origin !== "null" && new URL(origin).host !== c.req.header("host")) return c.json({ detail: "Cross-origin actions are not allowed." }, 403);
    }
    await next();
  });
  app.onError((error, c) => {
    const id = requestId(c);
    logger.error(`dashboard ${c.req.method} ${c.req.path} failed (request ${id})`, error);
    return c.json({ detail: "Internal Server Error", request_id: id }, 500, { "x-request-id": id });
  });

  app.get("/api/health", (c) => c.json({ status: "ok" }));

  app.get("/api/runs", async (c) => {
    const limit = clampInt(c.req.query("limit"), 50, 1, 200);
    const offset = clampInt(c.req.query("offset"), 0, 0);
    if (limit === null || offset === null) return c.json({ detail: "limit and offset must be integers" }, 422);
    const status = c.req.query("status") || undefined;
    const metadata = { ...metadataFilter(c.req.queries("metadata") ?? []), ...(c.req.query("thread") ? { thread_id: c.req.query("thread")! } : {}) };
    const filters: RunFilters = {
      ...(status ? { status: status as RunStatus } : {}),
      ...(c.req.query("agent") ? { agentName: c.req.query("agent")! } : {}),
      ...(c.req.query("tenant") ? { tenantId: c.req.query("tenant")! } : {}),
      ...(c.req.query("q") ? { runIdPrefix: c.req.query("q")!.trim().toUpperCase() } : {}),
      ...(Object.keys(metadata).length > 0 ? { metadataFilter: metadata } : {}),
    };
    const before = c.req.query("before") || undefined;
    let runs: Awaited<ReturnType<RunStore["listRuns"]>>;
    let total: RunCount;
    try {
      ({ runs, total } = await store.listRunsPage({ ...filters, limit, offset, before }, { totalUpTo: EXACT_TOTAL_UP_TO }));
    } catch (error) {
      if (error instanceof ValidationError) return c.json({ detail: error.message, field: error.field }, 422);
      throw error;
    }
    const pauses = await store.countPauses(runs.map((r) => r.runId));
    const body = { runs: runs.map((r) => runItemJson(r, pauses[r.runId] ?? 0)), total: total.count };
    return c.json(total.exact ? body : { ...body, total_capped: true });
  });

  const notFound = (c: Context, runId: string) => c.json({ detail: `Run '${runId}' not found.` }, 404);

  app.get("/api/runs/:runId", async (c) => {
    const runId = c.req.param("runId");
    const run = await store.getRun(runId);
    if (!run) return notFound(c, runId);
    const [events, traces, toolCalls, pauses] = await Promise.all([store.getEvents(runId), store.getTraces(runId), store.getToolInvocations(runId), store.getPauses(runId)]);
    const started = events.find((e) => e.eventType === "run.started");
    const byIteration: Record<string, unknown[]> = {};
    for (const t of traces) {
      const key = String((t.meta as { iteration?: number } | null)?.iteration ?? 0);
      const { id: _id, ...item } = traceItemJson(t);
      (byIteration[key] ??= []).push(item);
    }
    return c.json({
      summary: summaryJson(run),
      nodes: buildTimeline(events, traces, toolCalls, pauses),
      system_prompt: (started?.data as { system_prompt?: string } | null)?.system_prompt ?? null,
      messages_by_iteration: byIteration,
      delegation: await delegationJson(store, run),
    });
  });

  for (const [path, key, read] of [
    ["events", "events", async (id: string) => (await store.getEvents(id)).map(eventItemJson)],
    ["traces", "traces", async (id: string) => (await store.getTraces(id)).map(traceItemJson)],
    ["tool-calls", "tool_calls", async (id: string) => (await store.getToolInvocations(id)).map(toolCallItemJson)],
    ["llm-calls", "llm_calls", async (id: string) => (await store.getLlmCalls(id)).map(llmCallItemJson)],
  ] as const) {
    app.get(`/api/runs/:runId/${path}`, async (c) => {
      const runId = c.req.param("runId");
      if (!(await store.getRun(runId))) return notFound(c, runId);
      return c.json({ [key]: await read(runId) });
    });
  }

  /** What an operator can do to a run now, and why not when they cannot. */
  const actionsFor = async (runId: string) => {
    const run = await store.getRun(runId);
    if (!run) return null;
    const pause = openPause(await store.getPauses(runId));
    const pending = ((pause?.pendingToolCalls ?? []) as { id: string; name: string; target?: string; params?: unknown }[]).map((p) => ({
      call_id: p.id,
      tool_name: p.name,
      target: p.target ?? "server",
      params: p.params ?? null,
    }));
    const agent = agents.get(run.agentName) ?? null;
    const terminal = isTerminalStatus(run.status);
    const waiting = run.status.startsWith("waiting_");
    const reason = terminal
      ? `The run has finished (${run.status}).`
      : !waiting
        ? `The run is ${run.status}; actions apply to paused runs.`
        : agent
          ? null
          : `Agent '${run.agentName}' is not registered with this dashboard, so its tools cannot run here.`;
    return {
      run_id: run.runId,
      agent_name: run.agentName,
      status: run.status,
      agent_registered: agent !== null,
      can_submit: waiting && agent !== null,
      can_cancel: !terminal && (agent !== null || options.cancelRun !== undefined),
      reason,
      pending_tool_calls: waiting ? pending : [],
      metadata: userMetadata(run.metadata),
      tenant_id: run.tenantId,
    };
  };

  app.get("/api/runs/:runId/actions", async (c) => {
    const runId = c.req.param("runId");
    const actions = await actionsFor(runId);
    return actions ? c.json(actions) : notFound(c, runId);
  });

  const act = (path: string, expected: RunStatus | null, handler: (agent: Agent, runId: string, body: unknown, pending: { id: string; name: string; target: string }[]) => Promise<unknown>) => {
    app.post(`/api/runs/:runId/${path}`, async (c) => {
      const runId = c.req.param("runId");
      const actions = await actionsFor(runId);
      if (!actions) return notFound(c, runId);
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json({ detail: "The body is not valid JSON." }, 400);
      }
      if (expected && actions.status !== expected) {
        return c.json({ detail: `Run '${runId}' is ${actions.status}, not ${expected}; nothing was applied.`, status: actions.status }, 409);
      }
      const agent = agents.get(actions.agent_name);
      if (!agent) return c.json({ detail: actions.reason, status: actions.status }, 409);
      const pending = actions.pending_tool_calls.map((p) => ({ id: p.call_id, name: p.tool_name, target: p.target }));
      return respond(c, runId, () => handler(agent, runId, body, pending));
    });
  };

  /** Runs an action; dendrux's own errors become 4xx answers that leave the run as it was. */
  const respond = async (c: Context, runId: string, action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (error) {
      if (!DendruxError.isInstance(error)) throw error;
      const status = error instanceof ValidationError ? 422 : error.name === "RunNotFoundError" ? 404 : 409;
      const current = await store.getRun(runId);
      return c.json({ detail: error.message, error: error.name, ...(error instanceof ValidationError ? { field: error.field } : {}), status: current?.status ?? null }, status);
    }
    const run = await store.getRun(runId);
    return c.json({ run_id: runId, status: run?.status ?? null, answer: run?.answer ?? null, error: run?.error ?? null });
  };

  act("approval", "waiting_approval", (agent, runId, body, pending) => submitDecisions(agent, runId, parseDecisions(body, pending.map((p) => p.id))));
  act("tool-results", "waiting_client_tool", (agent, runId, body, pending) => agent.submitToolResults(runId, parseToolResults(body, pending.filter((p) => p.target === "client"))));
  act("input", "waiting_human_input", (agent, runId, body) => agent.submitInput(runId, parseInput(body)));

  app.post("/api/runs/:runId/cancel", async (c) => {
    const runId = c.req.param("runId");
    const actions = await actionsFor(runId);
    if (!actions) return notFound(c, runId);
    if (isTerminalStatus(actions.status)) return c.json({ detail: `Run '${runId}' has already finished (${actions.status}); nothing was applied.`, status: actions.status }, 409);
    const agent = agents.get(actions.agent_name);
    if (!agent && !options.cancelRun) return c.json({ detail: "This dashboard cannot cancel runs (no database access for writes).", status: actions.status }, 409);
    return respond(c, runId, () => (agent ? agent.cancelRun(runId) : options.cancelRun!(runId)));
  });

  app.get("/api/threads/:threadId", async (c) => {
    const threadId = c.req.param("threadId");
    const runs = (await store.listRuns({ metadataFilter: { thread_id: threadId }, limit: 1000 })).reverse();
    const details = await Promise.all(runs.map((r) => store.getRun(r.runId)));
    const turns = details.filter((r) => r !== null).map((r) => ({ ...summaryJson(r), input_text: inputText(r), metadata: userMetadata(r.metadata) }));
    const known = turns.filter((t) => t.total_cost_usd !== null);
    return c.json({
      thread_id: threadId,
      turns,
      totals: {
        runs: turns.length,
        input_tokens: turns.reduce((n, t) => n + t.total_input_tokens, 0),
        output_tokens: turns.reduce((n, t) => n + t.total_output_tokens, 0),
        cost_usd: known.length === 0 ? null : Math.round(known.reduce((n, t) => n + (t.total_cost_usd ?? 0), 0) * 1e6) / 1e6,
        waiting: turns.filter((t) => t.status.startsWith("waiting_")).length,
      },
    });
  });

  app.all("/api/*", (c) => c.json({ detail: "Not Found" }, 404));

  app.get("*", (c) => {
    // Under `app.route("/prefix", dashboard)` the path keeps the prefix, and `basePath` is that prefix ("/" when
    // served at the root or through `app.mount`, which strips it).
    const base = basePath(c).replace(/\/+$/, "");
    const full = c.req.path;
    // The page finds its files and API relative to its own address, so it must be served from a folder URL.
    if (base !== "" && full === base) return c.redirect(`${base}/${new URL(c.req.url).search}`, 308);
    const path = full.startsWith(`${base}/`) ? full.slice(base.length) : full;
    const file = STATIC[path] ? new URL(STATIC[path], staticDir) : vendor[path];
    if (!file) return c.json({ detail: "Not Found" }, 404);
    // The hooks module imports "preact" by name; the page has no import map, so point it at the served file.
    const body = readFileSync(file, "utf8").replace(/from\s*"preact"/g, 'from"./preact.mjs"');
    return c.body(body, 200, {
      "content-type": TYPES[path.split(".").pop() ?? "html"] ?? TYPES.html!,
      "cache-control": "no-cache",
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
  });
  return app;
}
