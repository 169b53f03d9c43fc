/**
 * A client-side tool in a web app: the agent pauses when it needs a tool only
 * the browser can run, the page asks the user for the result, and the run
 * resumes with it.
 *
 *   npx tsx examples/03_client_tools/server.ts      # then open http://127.0.0.1:8000/
 *   try: "Look up the AAPL price, then read cell A1 from my spreadsheet."
 *
 * dendrux provides the read routes and the live event stream
 * (`makeReadRouter`) and the race-safe resume methods (`submitToolResults`,
 * `cancelRun`). The app writes three routes — start, submit, cancel — the page,
 * and its own authorisation (none here; see example 17 for a token).
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { DendruxError, type RunResult, type ToolResult } from "dendrux";
import { makeReadRouter } from "dendrux/http";
import { RunStore } from "dendrux/store";
import { statusFor } from "../server/write-routes.js";
import { DATABASE_URL } from "../shared/setup.js";
import { createSpreadsheetAnalyst } from "../shared/spreadsheet-analyst.js";
import { PAGE } from "./page.js";

const resultBody = (r: RunResult) => ({ run_id: r.runId, status: r.status, answer: r.answer });

export function buildApp(databaseUrl: string) {
  const agent = createSpreadsheetAnalyst(databaseUrl);
  const store = RunStore.fromDatabaseUrl(databaseUrl);
  const app = new Hono();
  // The agent's errors as HTTP statuses: 400 bad input, 404 unknown run, 409 wrong state.
  app.onError((error, c) => c.json({ detail: DendruxError.isInstance(error) ? error.message : "Internal Server Error" }, statusFor(error)));

  app.get("/", (c) => c.html(PAGE));
  // Runs, events and their live stream: GET /api/runs/:id, /api/runs/:id/events/stream, …
  app.route("/api", makeReadRouter({ store, authorize: () => undefined }));

  app.post("/chat", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { input?: unknown } | null;
    if (typeof body?.input !== "string" || body.input.trim() === "") return c.json({ detail: "input is required" }, 400);
    return c.json(resultBody(await agent.run(body.input)));
  });

  app.post("/runs/:runId/tool-results", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { results?: { tool_call_id: string; tool_name: string; payload: string }[] } | null;
    if (!Array.isArray(body?.results)) return c.json({ detail: "results must be an array" }, 400);
    const results: ToolResult[] = body.results.map((r) => ({ callId: r.tool_call_id, name: r.tool_name, payload: r.payload }));
    return c.json(resultBody(await agent.submitToolResults(c.req.param("runId"), results)));
  });

  app.delete("/runs/:runId", async (c) => c.json(resultBody(await agent.cancelRun(c.req.param("runId")))));

  return { app, close: async () => void (await Promise.all([agent.close(), store.close()])) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app } = buildApp(DATABASE_URL);
  serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8000), hostname: "127.0.0.1" }, (info: AddressInfo) =>
    console.log(`client tools demo on http://127.0.0.1:${info.port}/ (database ${DATABASE_URL})`),
  );
}
