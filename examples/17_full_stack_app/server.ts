/**
 * A full-stack app on dendrux, in one process:
 *
 *   /                      the page: a chat with a client-side tool, approvals and a live safety panel
 *   /api/dendrux/…         dendrux's read routes and live event streams (makeReadRouter)
 *   /dashboard/            dendrux's dashboard, able to act on this app's runs
 *   POST /chat, POST /runs/:id/tool-results, POST /runs/:id/approvals, DELETE /runs/:id
 *                          the app's own write routes, each one call to the agent
 *
 * One agent per provider (offline always; Anthropic / OpenAI when their key is
 * set), all with the same four governance layers: deny, approval, budget and
 * guardrails. One store (one pool) serves the agents and the read side. Every
 * turn is tagged with the page's thread, whose earlier turns become the history.
 *
 *   npx tsx examples/17_full_stack_app/server.ts
 *   open http://127.0.0.1:8000/#token=dev-secret-abc        (DENDRUX_DEMO_TOKEN sets another token)
 *
 * Before production: real authentication (sessions or JWTs; cookies rather than
 * a query parameter for the SSE stream), ownership checks (stamp the user in
 * `metadata` and compare it in every write route, answering 404 on a
 * mismatch), rate limits, request size limits, and `idempotencyKey` on runs
 * whose side effects must not repeat.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ChatMessage, DendruxError, type Agent, type RunResult, type ToolResult } from "dendrux";
import { makeDashboardApp } from "dendrux/dashboard";
import { makeReadRouter } from "dendrux/http";
import { RunStore } from "dendrux/store";
import { statusFor } from "../server/write-routes.js";
import { DATABASE_URL } from "../shared/setup.js";
import { type ProviderName, buildAgents } from "./agent-setup.js";
import { PAGE } from "./page.js";

const TOKEN = process.env.DENDRUX_DEMO_TOKEN ?? "dev-secret-abc";

/** The caller's token, from `X-App-Token` (fetch) or `?token=` (EventSource cannot send headers). */
function authorize(c: Context): void {
  if ((c.req.header("x-app-token") ?? c.req.query("token")) !== TOKEN) throw new HTTPException(401, { message: "missing or invalid X-App-Token" });
}

export function buildApp(databaseUrl: string) {
  // One store for everything: the agents write through it, the read router, the dashboard and the routes read from it.
  const store = RunStore.fromDatabaseUrl(databaseUrl);
  const agents = buildAgents(store);
  const agentFor = (name: unknown): Agent => {
    const agent = agents.get(name as ProviderName);
    if (!agent) throw new HTTPException(400, { message: `provider must be one of ${[...agents.keys()].join(", ")}` });
    return agent;
  };
  /** What the page needs of a result: the answer (real values), what the run waits on, and the placeholders the model saw. */
  const body = async (r: RunResult) => ({
    run_id: r.runId,
    status: r.status,
    answer: r.answer,
    error: r.error,
    pending_tool_calls: (r.pendingToolCalls ?? []).map((call) => ({ id: call.id, name: call.name, params: call.params })),
    pii_mapping: await store.getPiiMapping(r.runId),
  });
  const json = async (c: Context) => ((await c.req.json().catch(() => null)) ?? {}) as Record<string, unknown>;

  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ detail: error.message }, error.status);
    return c.json({ detail: DendruxError.isInstance(error) ? error.message : "Internal Server Error" }, statusFor(error));
  });

  app.get("/", (c) => c.html(PAGE));
  app.route("/api/dendrux", makeReadRouter({ store, authorize }));
  // The dashboard checks its own bearer token; given an agent, it can approve, submit and cancel too.
  // Its page and API answer under /dashboard/ (/dashboard redirects there).
  app.route("/dashboard", makeDashboardApp({ store, authToken: TOKEN, agents: [[...agents.values()][0]!] }));

  app.use("/chat", async (c, next) => (authorize(c), next()));
  app.use("/providers", async (c, next) => (authorize(c), next()));
  app.use("/runs/*", async (c, next) => (authorize(c), next()));

  app.get("/providers", (c) => c.json({ providers: [...agents.keys()] }));

  app.post("/chat", async (c) => {
    const { input, provider, thread_id: threadId } = await json(c);
    if (typeof input !== "string" || input.trim() === "") return c.json({ detail: "input is required" }, 400);
    if (typeof threadId !== "string" || threadId === "") return c.json({ detail: "thread_id is required" }, 400);
    // The thread's finished turns are the history, with their real values: this run redacts them again, with its own placeholders.
    const turns = await store.getThread(threadId, { limit: 20, deanonymize: true });
    const history = turns.filter((t) => t.status === "success").flatMap((t) => [ChatMessage.user(t.input ?? ""), ChatMessage.assistant(t.answer ?? "")]);
    return c.json(await body(await agentFor(provider).run(input, { history, metadata: { thread_id: threadId } })));
  });

  app.post("/runs/:runId/tool-results", async (c) => {
    const { results, provider } = await json(c);
    if (!Array.isArray(results)) return c.json({ detail: "results must be an array" }, 400);
    const toolResults: ToolResult[] = results.map((r: { tool_call_id: string; tool_name: string; payload: string }) => ({ callId: r.tool_call_id, name: r.tool_name, payload: r.payload }));
    return c.json(await body(await agentFor(provider).submitToolResults(c.req.param("runId"), toolResults)));
  });

  app.post("/runs/:runId/approvals", async (c) => {
    const { approved, rejection_reason: reason, provider } = await json(c);
    if (typeof approved !== "boolean") return c.json({ detail: "approved must be a boolean" }, 400);
    const decision = approved ? { approved } : { approved, rejectionReason: typeof reason === "string" ? reason : null };
    return c.json(await body(await agentFor(provider).submitApproval(c.req.param("runId"), decision)));
  });

  app.delete("/runs/:runId", async (c) => c.json(await body(await agentFor(c.req.query("provider")).cancelRun(c.req.param("runId")))));

  // The agents close their providers; the store, shared by all of them, is closed once, after them.
  const close = async () => {
    await Promise.all([...agents.values()].map((a) => a.close()));
    await store.close();
  };
  return { app, store, close };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app } = buildApp(DATABASE_URL);
  serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8000), hostname: "127.0.0.1" }, (info: AddressInfo) =>
    console.log(`full-stack demo on http://127.0.0.1:${info.port}/#token=${TOKEN} (database ${DATABASE_URL})`),
  );
}
