/**
 * Write routes around an agent's submit and cancel methods, with the error
 * classes mapped to HTTP statuses: 400 bad input, 404 unknown run, 409 wrong
 * state, 500 configuration.
 */
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  type Agent,
  DendruxError,
  InvalidToolResultError,
  PauseStatusMismatchError,
  PersistenceNotConfiguredError,
  RunAlreadyClaimedError,
  RunAlreadyTerminalError,
  RunNotFoundError,
  RunNotPausedError,
  SchemaNotInitializedError,
  ValidationError,
  type RunResult,
  type ToolResult,
} from "../../src/index.js";

export function statusFor(error: unknown): ContentfulStatusCode {
  if (error instanceof InvalidToolResultError || error instanceof ValidationError) return 400;
  if (error instanceof RunNotFoundError) return 404;
  if (
    error instanceof RunNotPausedError ||
    error instanceof PauseStatusMismatchError ||
    error instanceof RunAlreadyClaimedError ||
    error instanceof RunAlreadyTerminalError
  ) {
    return 409;
  }
  if (error instanceof PersistenceNotConfiguredError || error instanceof SchemaNotInitializedError) return 500;
  return 500;
}

const resultJson = (r: RunResult) => ({
  run_id: r.runId,
  status: r.status,
  answer: r.answer,
  error: r.error,
  iteration_count: r.iterationCount,
  pending_tool_calls: (r.pendingToolCalls ?? []).map((c) => ({ id: c.id, name: c.name, params: c.params })),
});

export function writeRoutes(agent: Agent): Hono {
  const app = new Hono();
  app.onError((error, c) => {
    const status = statusFor(error);
    const detail = DendruxError.isInstance(error) ? error.message : "Internal Server Error";
    return c.json({ detail, error: DendruxError.isInstance(error) ? error.name : "Error" }, status);
  });

  app.post("/runs/:runId/tool-results", async (c) => {
    const body = await c.req.json<{ results?: { call_id: string; name: string; payload: string; success?: boolean; error?: string }[] }>();
    if (!Array.isArray(body.results)) throw new ValidationError({ field: "results", message: "results must be an array" });
    const results: ToolResult[] = body.results.map((r) => ({ callId: r.call_id, name: r.name, payload: r.payload, success: r.success, error: r.error ?? null }));
    return c.json(resultJson(await agent.submitToolResults(c.req.param("runId"), results)));
  });

  app.post("/runs/:runId/input", async (c) => {
    const body = await c.req.json<{ text?: string }>();
    return c.json(resultJson(await agent.submitInput(c.req.param("runId"), body.text as string)));
  });

  app.post("/runs/:runId/approval", async (c) => {
    const body = await c.req.json<{ approved?: boolean; rejection_reason?: string }>();
    return c.json(resultJson(await agent.submitApproval(c.req.param("runId"), { approved: body.approved as boolean, rejectionReason: body.rejection_reason })));
  });

  app.post("/runs/:runId/cancel", async (c) => c.json(resultJson(await agent.cancelRun(c.req.param("runId")))));

  return app;
}
