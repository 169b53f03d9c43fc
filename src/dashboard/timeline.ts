import type { PausePair, StoredEvent, ToolInvocation, TraceEntry } from "../store/records.js";
import { epochMicros, isoMicros } from "../store/precise-time.js";

type Json = Record<string, unknown>;
type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const GOVERNANCE: Record<string, [severity: string, title: string]> = {
  "policy.denied": ["warning", "Tool denied"],
  "approval.requested": ["pause", "Approval requested"],
  "approval.decided": ["info", "Approval decided"],
  "budget.threshold": ["warning", "Budget threshold"],
  "budget.exceeded": ["warning", "Budget exceeded"],
  "guardrail.detected": ["info", "Guardrail detected"],
  "guardrail.redacted": ["info", "Guardrail redacted"],
  "guardrail.blocked": ["error", "Guardrail blocked"],
  "skill.registered": ["info", "Skill registered"],
  "skill.denied": ["warning", "Skill denied"],
  "skill.invoked": ["info", "Skill invoked"],
  "mcp.connected": ["info", "MCP connected"],
  "mcp.error": ["error", "MCP error"],
};

const ts = (d: Date | null) => (d ? isoMicros(d) : null);

/**
 * A run's events as timeline nodes, one per event in sequence order: LLM calls
 * carry the iteration's assistant text, tool calls are joined with their rows,
 * and a pause is folded together with the resume that ended it — paired as
 * `RunStore.getPauses` pairs them, in one pass.
 */
export function buildTimeline(events: readonly StoredEvent[], traces: readonly TraceEntry[], toolCalls: readonly ToolInvocation[], pauses: readonly PausePair[]): Json[] {
  const assistantText = new Map<number, string>();
  for (const t of traces) {
    const iteration = Number((t.meta as { iteration?: number } | null)?.iteration ?? 0);
    if (t.role === "assistant" && !assistantText.has(iteration)) assistantText.set(iteration, t.content);
  }
  const toolRows = new Map(toolCalls.map((c) => [c.toolCallId, c]));
  const pauseAt = new Map(pauses.map((p) => [p.pauseSequenceIndex, p]));
  const nodes: Json[] = [];
  for (const e of events) {
    const base = { sequence_index: e.sequenceIndex };
    const d = (e.data ?? {}) as Data;
    const at = ts(e.createdAt);
    switch (e.eventType) {
      case "run.started":
        nodes.push({ type: "run_started", ...base, agent_name: d.agent_name ?? null, timestamp: at });
        break;
      case "llm.completed":
        nodes.push({
          type: "llm_call",
          ...base,
          iteration: e.iterationIndex,
          input_tokens: d.input_tokens ?? 0,
          output_tokens: d.output_tokens ?? 0,
          cost_usd: d.cost_usd ?? null,
          model: d.model ?? null,
          has_tool_calls: d.has_tool_calls ?? false,
          timestamp: at,
          assistant_text: assistantText.get(e.iterationIndex) ?? null,
          cache_read_input_tokens: d.cache_read_input_tokens ?? null,
          cache_creation_input_tokens: d.cache_creation_input_tokens ?? null,
          reasoning_tokens: d.reasoning_tokens ?? null,
        });
        break;
      case "tool.completed": {
        const row = e.correlationId ? toolRows.get(e.correlationId) : undefined;
        nodes.push({
          type: "tool_call",
          ...base,
          iteration: e.iterationIndex,
          tool_call_id: e.correlationId,
          tool_name: d.tool_name,
          target: d.target ?? "server",
          success: d.success,
          duration_ms: d.duration_ms,
          timestamp: at,
          params: row?.params ?? null,
          result: row?.result ?? null,
          error_message: row?.error ?? null,
        });
        break;
      }
      case "run.paused": {
        const pair = pauseAt.get(e.sequenceIndex);
        const resumed = pair?.resumeAt ?? null;
        nodes.push({
          type: "pause_segment",
          ...base,
          iteration: e.iterationIndex,
          pause_status: d.status,
          pending_tool_calls: ((d.pending_tool_calls ?? []) as Data[]).map((c) => ({ tool_call_id: c.id, tool_name: c.name, target: c.target })),
          paused_at: at,
          resumed_at: ts(resumed),
          // Seconds as a double, then milliseconds, truncated: the reference's arithmetic, so both report the same number.
          wait_duration_ms: e.createdAt && resumed ? Math.trunc(((epochMicros(resumed) - epochMicros(e.createdAt)) / 1e6) * 1000) : null,
          submitted_results: ((pair?.submittedResults ?? []) as Data[]).map((r) => ({ call_id: r.call_id, tool_name: r.name, success: r.success })),
          user_input: pair?.userInput ?? null,
        });
        break;
      }
      case "run.completed":
        nodes.push({ type: "finish", ...base, status: d.status, timestamp: at });
        break;
      case "run.error":
        nodes.push({ type: "error", ...base, error: d.error ?? null, timestamp: at });
        break;
      case "run.cancelled":
        nodes.push({ type: "cancelled", ...base, timestamp: at });
        break;
      default: {
        const known = GOVERNANCE[e.eventType];
        if (!known) break;
        nodes.push({ type: "governance_event", ...base, iteration: e.iterationIndex, event_type: e.eventType, severity: known[0], title: known[1], data: d, timestamp: at });
      }
    }
  }
  return nodes;
}
