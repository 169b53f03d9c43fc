/**
 * Write routes around an agent's run, submit and cancel methods, with the error
 * classes mapped to HTTP statuses: 400 bad input, 404 unknown run, 409 wrong
 * state, 500 configuration.
 */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  type Agent,
  DendruxError,
  InvalidToolResultError,
  PauseStatusMismatchError,
  PendingToolMismatchError,
  PersistenceNotConfiguredError,
  RunAlreadyClaimedError,
  RunAlreadyTerminalError,
  RunNotFoundError,
  RunNotPausedError,
  SchemaNotInitializedError,
  ValidationError,
  type RunResult,
  type ToolResult,
} from "dendrux";

export function statusFor(error: unknown): ContentfulStatusCode {
  if (error instanceof InvalidToolResultError || error instanceof ValidationError) return 400;
  if (error instanceof PendingToolMismatchError) return 409;
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

/** A request body that is not JSON: answered 415, so a cross-site form post never reaches a submit. */
class UnsupportedMediaType extends Error {}

/** The JSON object a write route takes; anything else is a 400 (or 415) with a body saying why. */
async function jsonObject(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new UnsupportedMediaType("Content-Type must be application/json.");
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ValidationError({ field: "body", message: text.trim() === "" ? "The request body is empty; send a JSON object." : "The request body is not valid JSON." });
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new ValidationError({ field: "body", message: "The request body must be a JSON object." });
  return body as Record<string, unknown>;
}

export function writeRoutes(agent: Agent): Hono {
  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof UnsupportedMediaType) return c.json({ detail: error.message, error: "UnsupportedMediaType" }, 415);
    const status = statusFor(error);
    const detail = DendruxError.isInstance(error) ? error.message : "Internal Server Error";
    if (status === 500) console.error(error);
    return c.json({ detail, error: DendruxError.isInstance(error) ? error.name : "Error" }, status);
  });

  // Starts a run and answers when it stops: finished, or paused (then `pending_tool_calls` says on what).
  app.post("/runs", async (c) => {
    const body = await jsonObject(c);
    if (typeof body.input !== "string" || body.input.trim() === "") throw new ValidationError({ field: "input", message: "input must be a non-empty string" });
    const options = {
      ...(body.metadata !== undefined ? { metadata: body.metadata as Record<string, unknown> } : {}),
      ...(body.idempotency_key !== undefined ? { idempotencyKey: body.idempotency_key as string } : {}),
    };
    return c.json(resultJson(await agent.run(body.input, options)));
  });

  app.post("/runs/:runId/tool-results", async (c) => {
    const body = await jsonObject(c);
    if (!Array.isArray(body.results)) throw new ValidationError({ field: "results", message: "results must be an array" });
    const results = body.results.map((r: unknown, i): ToolResult => {
      if (r === null || typeof r !== "object" || Array.isArray(r)) throw new ValidationError({ field: `results[${i}]`, message: `results[${i}] must be an object { call_id, name, payload, success?, error? }` });
      const item = r as Record<string, unknown>;
      return { callId: item.call_id as string, name: item.name as string, payload: item.payload as string, success: item.success as boolean | undefined, error: (item.error as string | undefined) ?? null };
    });
    return c.json(resultJson(await agent.submitToolResults(c.req.param("runId"), results)));
  });

  app.post("/runs/:runId/input", async (c) => {
    const body = await jsonObject(c);
    return c.json(resultJson(await agent.submitInput(c.req.param("runId"), body.text as string)));
  });

  app.post("/runs/:runId/approval", async (c) => {
    const body = await jsonObject(c);
    if (body.decisions !== undefined) {
      if (!Array.isArray(body.decisions)) throw new ValidationError({ field: "decisions", message: "decisions must be an array" });
      const decisions = body.decisions.map((d: unknown, i) => {
        if (d === null || typeof d !== "object") throw new ValidationError({ field: `decisions[${i}]`, message: `decisions[${i}] must be an object { call_id, approved, reason? }` });
        const item = d as Record<string, unknown>;
        return { callId: item.call_id as string, approved: item.approved as boolean, reason: (item.reason as string | undefined) ?? null };
      });
      return c.json(resultJson(await agent.submitApproval(c.req.param("runId"), { decisions })));
    }
    return c.json(resultJson(await agent.submitApproval(c.req.param("runId"), { approved: body.approved as boolean, rejectionReason: body.rejection_reason as string | undefined })));
  });

  app.post("/runs/:runId/cancel", async (c) => c.json(resultJson(await agent.cancelRun(c.req.param("runId")))));

  return app;
}
