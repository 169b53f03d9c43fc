/**
 * The client-tool flow of example 03, streamed over one request: `fetch()`
 * with a newline-delimited JSON (NDJSON) body instead of a separate SSE
 * stream. `EventSource` can only GET, and resuming needs a POST with the tool
 * results, so both routes answer with the same NDJSON event stream:
 *
 *   POST /chat            {input}                         → run_started … run_paused | run_completed
 *   POST /resume/:runId   {tool_results: [{call_id, name, result}]}  → run_resumed … run_completed
 *
 *   npx tsx examples/09_client_tools_streaming/server.ts     # then open http://127.0.0.1:8001/
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { stream } from "hono/streaming";
import type { Context } from "hono";
import type { AddressInfo } from "node:net";
import type { RunEvent, RunStream, ToolResult } from "dendrux";
import { DATABASE_URL } from "../shared/setup.js";
import { createSpreadsheetAnalyst } from "../shared/spreadsheet-analyst.js";
import { PAGE } from "./page.js";

/** One event as one JSON line: snake_case, only the fields its type has. */
function wire(event: RunEvent): Record<string, unknown> {
  const line: Record<string, unknown> = { type: event.type, run_id: event.runId };
  switch (event.type) {
    case "text_delta":
      return { ...line, text: event.text };
    case "tool_use_start":
    case "tool_use_end":
      return { ...line, tool_name: event.toolName, tool_call_id: event.toolCallId };
    case "tool_result": {
      const r = event.toolResult;
      return { ...line, tool_result: { call_id: r.callId, name: r.name, success: r.success !== false, payload: r.payload, ...(r.error ? { error: r.error } : {}) } };
    }
    case "run_paused":
    case "run_completed":
    case "run_cancelled":
    case "run_error": {
      const r = event.result;
      const pending = (r.pendingToolCalls ?? []).map((call) => ({ id: call.id, name: call.name, params: call.params }));
      return { ...line, ...(event.type === "run_error" ? { error: event.error } : {}), run_result: { status: r.status, answer: r.answer, error: r.error, pending_tool_calls: pending } };
    }
    default:
      return line;
  }
}

/** Writes the run's events as NDJSON; a client that goes away cancels the run. */
function ndjson(c: Context, run: RunStream) {
  c.header("content-type", "application/x-ndjson");
  c.header("cache-control", "no-cache");
  return stream(c, async (out) => {
    out.onAbort(() => void run.close());
    for await (const event of run) await out.write(`${JSON.stringify(wire(event))}\n`);
  });
}

export function buildApp(databaseUrl: string) {
  const agent = createSpreadsheetAnalyst(databaseUrl);
  const app = new Hono();
  app.get("/", (c) => c.html(PAGE));

  app.post("/chat", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { input?: unknown } | null;
    if (typeof body?.input !== "string" || body.input.trim() === "") return c.json({ error: "input is required" }, 400);
    return ndjson(c, agent.stream(body.input));
  });

  app.post("/resume/:runId", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { tool_results?: { call_id?: unknown; name?: unknown; result?: unknown }[] } | null;
    const raw = body?.tool_results;
    if (!Array.isArray(raw) || raw.length === 0 || raw.some((r) => typeof r?.call_id !== "string" || typeof r.name !== "string")) {
      return c.json({ error: "tool_results must be a non-empty array of {call_id, name, result}" }, 400);
    }
    const toolResults: ToolResult[] = raw.map((r) => ({
      callId: r.call_id as string,
      name: r.name as string,
      payload: typeof r.result === "string" ? r.result : JSON.stringify(r.result),
    }));
    // A stale or wrong submission arrives as a run_error line, like any other failure of the stream.
    return ndjson(c, agent.resumeStream(c.req.param("runId"), { toolResults }));
  });

  return { app, close: () => agent.close() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app } = buildApp(DATABASE_URL);
  serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8001), hostname: "127.0.0.1" }, (info: AddressInfo) =>
    console.log(`client tools (streaming) demo on http://127.0.0.1:${info.port}/ (database ${DATABASE_URL})`),
  );
}
