type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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

/** Microseconds since the epoch of an ISO timestamp string, keeping all six fraction digits (`Date.parse` keeps three). */
function epochMicros(text: string | null | undefined): number | null {
  if (!text) return null;
  const m = /^(.*?:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  const ms = m ? Date.parse(`${m[1]}${m[3] ?? "Z"}`) : NaN;
  return Number.isNaN(ms) ? null : ms * 1000 + Number((m![2] ?? "").padEnd(6, "0"));
}

/**
 * A run's events as timeline nodes, one per event in sequence order: LLM calls
 * carry the iteration's assistant text, tool calls are joined with their rows,
 * a pause is folded together with the resume that ended it.
 */
export function buildTimeline(events: readonly Json[], traces: readonly Json[], toolCalls: readonly Json[]): Json[] {
  const assistantText = new Map<number, string>();
  for (const t of traces) {
    const iteration = Number(t.meta?.iteration ?? 0);
    if (t.role === "assistant" && !assistantText.has(iteration)) assistantText.set(iteration, t.content);
  }
  const toolRows = new Map(toolCalls.map((c) => [c.tool_call_id, c]));
  const nodes: Json[] = [];
  events.forEach((e, i) => {
    const d = e.data ?? {};
    switch (e.event_type) {
      case "run.started":
        nodes.push({ type: "run_started", sequence_index: e.sequence_index, agent_name: d.agent_name ?? null, timestamp: e.created_at });
        break;
      case "llm.completed":
        nodes.push({
          type: "llm_call",
          sequence_index: e.sequence_index,
          iteration: e.iteration_index,
          input_tokens: d.input_tokens ?? 0,
          output_tokens: d.output_tokens ?? 0,
          cost_usd: d.cost_usd ?? null,
          model: d.model ?? null,
          has_tool_calls: d.has_tool_calls ?? false,
          timestamp: e.created_at,
          assistant_text: assistantText.get(e.iteration_index) ?? null,
          cache_read_input_tokens: d.cache_read_input_tokens ?? null,
          cache_creation_input_tokens: d.cache_creation_input_tokens ?? null,
          reasoning_tokens: d.reasoning_tokens ?? null,
        });
        break;
      case "tool.completed": {
        const row = toolRows.get(e.correlation_id);
        nodes.push({
          type: "tool_call",
          sequence_index: e.sequence_index,
          iteration: e.iteration_index,
          tool_call_id: e.correlation_id,
          tool_name: d.tool_name,
          target: d.target ?? "server",
          success: d.success,
          duration_ms: d.duration_ms,
          timestamp: e.created_at,
          params: row?.params ?? null,
          result: row?.result ?? null,
          error_message: row?.error_message ?? null,
        });
        break;
      }
      case "run.paused": {
        const resumed = events.slice(i + 1).find((x) => x.event_type === "run.resumed");
        const rd = resumed?.data ?? {};
        const pausedAt = epochMicros(e.created_at);
        const resumedAt = epochMicros(resumed?.created_at);
        nodes.push({
          type: "pause_segment",
          sequence_index: e.sequence_index,
          iteration: e.iteration_index,
          pause_status: d.status,
          pending_tool_calls: (d.pending_tool_calls ?? []).map((c: Json) => ({ tool_call_id: c.id, tool_name: c.name, target: c.target })),
          paused_at: e.created_at,
          resumed_at: resumed?.created_at ?? null,
          // Seconds as a double, then milliseconds, truncated: the reference's arithmetic, so both report the same number.
          wait_duration_ms: pausedAt === null || resumedAt === null ? null : Math.trunc(((resumedAt - pausedAt) / 1e6) * 1000),
          submitted_results: (rd.submitted_results ?? []).map((r: Json) => ({ call_id: r.call_id, tool_name: r.name, success: r.success })),
          user_input: rd.user_input ?? null,
        });
        break;
      }
      case "run.completed":
        nodes.push({ type: "finish", sequence_index: e.sequence_index, status: d.status, timestamp: e.created_at });
        break;
      case "run.error":
        nodes.push({ type: "error", sequence_index: e.sequence_index, error: d.error ?? null, timestamp: e.created_at });
        break;
      case "run.cancelled":
        nodes.push({ type: "cancelled", sequence_index: e.sequence_index, timestamp: e.created_at });
        break;
      default: {
        const known = GOVERNANCE[e.event_type];
        if (!known) break;
        nodes.push({ type: "governance_event", sequence_index: e.sequence_index, iteration: e.iteration_index, event_type: e.event_type, severity: known[0], title: known[1], data: d, timestamp: e.created_at });
      }
    }
  });
  return nodes;
}
