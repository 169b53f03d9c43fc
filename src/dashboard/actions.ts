import type { Agent } from "../agent/agent.js";
import { ValidationError } from "../errors/validation-error.js";
import type { RunResult } from "../types/run-result.js";
import type { ToolResult } from "../types/tool-call.js";

/** One approval decision as the dashboard posts it. */
export interface CallDecision {
  readonly callId: string;
  readonly approved: boolean;
  readonly reason?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `{"decisions": [{"call_id", "approved", "reason"?}]}` → decisions, one per pending call. */
export function parseDecisions(body: unknown, pendingIds: readonly string[]): CallDecision[] {
  if (!isObject(body) || !Array.isArray(body.decisions) || body.decisions.length === 0) {
    throw new ValidationError({ field: "decisions", message: 'Send {"decisions": [{"call_id": "…", "approved": true|false, "reason"?: "…"}]}.' });
  }
  const out: CallDecision[] = [];
  body.decisions.forEach((d: unknown, i: number) => {
    if (!isObject(d) || typeof d.call_id !== "string" || typeof d.approved !== "boolean") {
      throw new ValidationError({ field: `decisions[${i}]`, message: "Each decision needs a string call_id and a boolean approved." });
    }
    if (d.reason !== undefined && d.reason !== null && typeof d.reason !== "string") {
      throw new ValidationError({ field: `decisions[${i}].reason`, message: "reason must be a string." });
    }
    if (!pendingIds.includes(d.call_id)) {
      throw new ValidationError({ field: `decisions[${i}].call_id`, message: `Call '${d.call_id}' is not pending on this run.` });
    }
    out.push({ callId: d.call_id, approved: d.approved, ...(typeof d.reason === "string" && d.reason ? { reason: d.reason } : {}) });
  });
  const missing = pendingIds.filter((id) => !out.some((d) => d.callId === id));
  if (missing.length > 0) throw new ValidationError({ field: "decisions", message: `Decide every pending call; missing: ${missing.join(", ")}.` });
  return out;
}

/**
 * Applies approval decisions through the agent's public API. The only place
 * the dashboard decides how a batch is submitted.
 */
export function submitDecisions(agent: Agent, runId: string, decisions: readonly CallDecision[]): Promise<RunResult> {
  return agent.submitApproval(runId, { decisions: decisions.map((d) => ({ callId: d.callId, approved: d.approved, ...(d.reason ? { reason: d.reason } : {}) })) });
}

/** `{"results": [{"call_id", "payload", "success"?}]}` → tool results for the pending client calls. */
export function parseToolResults(body: unknown, pending: readonly { id: string; name: string }[]): ToolResult[] {
  if (!isObject(body) || !Array.isArray(body.results) || body.results.length === 0) {
    throw new ValidationError({ field: "results", message: 'Send {"results": [{"call_id": "…", "payload": "…", "success"?: true}]}.' });
  }
  return body.results.map((r: unknown, i: number) => {
    if (!isObject(r) || typeof r.call_id !== "string") throw new ValidationError({ field: `results[${i}].call_id`, message: "Each result needs a string call_id." });
    const call = pending.find((p) => p.id === r.call_id);
    if (!call) throw new ValidationError({ field: `results[${i}].call_id`, message: `Call '${r.call_id}' is not pending on this run.` });
    if (typeof r.payload !== "string") throw new ValidationError({ field: `results[${i}].payload`, message: "payload must be a string (JSON text or plain text)." });
    if (r.success !== undefined && typeof r.success !== "boolean") throw new ValidationError({ field: `results[${i}].success`, message: "success must be a boolean." });
    return { callId: call.id, name: call.name, payload: r.payload, success: r.success !== false };
  });
}

/** `{"text": "…"}` → the human's answer. */
export function parseInput(body: unknown): string {
  if (!isObject(body) || typeof body.text !== "string" || body.text.trim() === "") {
    throw new ValidationError({ field: "text", message: 'Send {"text": "…"} with a non-empty answer.' });
  }
  return body.text;
}
