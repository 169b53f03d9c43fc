import { ValidationError } from "../errors/validation-error.js";
import type { AgentStep } from "../types/agent-step.js";
import type { Message, Role } from "../types/message.js";
import type { ToolCall, ToolResult } from "../types/tool-call.js";
import type { UsageStats } from "../types/usage.js";

/**
 * What a paused run needs to resume, in memory. `toPauseData` / `parsePauseData`
 * are the only code that knows the on-disk shape of `agent_runs.pause_data`
 * (snake_case, the reference's keys). The reference writes no version field,
 * so a missing version means version 1.
 */
export interface PauseState {
  readonly agentName: string;
  readonly pendingToolCalls: readonly ToolCall[];
  readonly pendingTargets: Readonly<Record<string, string>>;
  readonly history: readonly Message[];
  readonly steps: readonly AgentStep[];
  readonly iteration: number;
  readonly traceOrderOffset: number;
  readonly usage: UsageStats;
  readonly submittedToolResults?: readonly ToolResult[];
  readonly submittedUserInput?: string;
}

type Json = Record<string, unknown>;

export function toolCallToData(call: ToolCall): Json {
  return { name: call.name, params: call.params, id: call.id, provider_tool_call_id: call.providerToolCallId };
}

function toolCallFromData(data: unknown): ToolCall {
  const d = data as Json;
  if (!d || typeof d.name !== "string" || typeof d.id !== "string") throw new TypeError("a tool call needs name and id");
  return {
    name: d.name,
    params: (d.params as Record<string, unknown>) ?? {},
    id: d.id,
    providerToolCallId: (d.provider_tool_call_id as string | null) ?? null,
  };
}

function messageToData(m: Message): Json {
  const out: Json = { role: m.role, content: m.content };
  if (m.name !== undefined) out.name = m.name;
  if (m.toolCalls && m.toolCalls.length > 0) out.tool_calls = m.toolCalls.map(toolCallToData);
  if (m.callId !== undefined) out.call_id = m.callId;
  if (m.meta && Object.keys(m.meta).length > 0) out.meta = m.meta;
  if (m.kind && !["chat", "tool_result", "system"].includes(m.kind)) out.kind = m.kind;
  if (m.placement === "stable") out.placement = "stable";
  if (m.source) out.source = m.source;
  return out;
}

function messageFromData(data: unknown): Message {
  const d = data as Json;
  if (!d || typeof d.role !== "string" || typeof d.content !== "string") throw new TypeError("a history message needs role and content");
  return {
    role: d.role as Role,
    content: d.content,
    ...(typeof d.name === "string" ? { name: d.name } : {}),
    ...(Array.isArray(d.tool_calls) && d.tool_calls.length > 0 ? { toolCalls: d.tool_calls.map(toolCallFromData) } : {}),
    ...(typeof d.call_id === "string" ? { callId: d.call_id } : {}),
    ...(d.meta && typeof d.meta === "object" ? { meta: d.meta as Json } : {}),
    ...(typeof d.kind === "string" ? { kind: d.kind } : {}),
    ...(d.placement === "stable" ? { placement: "stable" as const } : {}),
    ...(typeof d.source === "string" ? { source: d.source } : {}),
  };
}

function stepToData(step: AgentStep): Json {
  const meta: Json = { ...step.meta };
  let action: Json;
  switch (step.action.type) {
    case "tool_calls":
      action = { type: "tool_call", ...toolCallToData(step.action.calls[0]!) };
      meta.all_tool_calls = step.action.calls.map(toolCallToData);
      break;
    case "finish":
      action = { type: "finish", answer: step.action.answer, meta: step.action.meta ?? {} };
      break;
    case "clarification":
      action = { type: "clarification", question: step.action.question, options: step.action.options ?? [] };
      break;
  }
  const out: Json = { reasoning: step.reasoning, action, raw_response: step.rawResponse };
  if (Object.keys(meta).length > 0) out.meta = meta;
  return out;
}

function stepFromData(data: unknown): AgentStep {
  const d = data as Json;
  const a = (d?.action ?? {}) as Json;
  const meta = (d.meta as Json | undefined) ?? {};
  let action: AgentStep["action"];
  if (a.type === "tool_call") {
    const all = Array.isArray(meta.all_tool_calls) ? meta.all_tool_calls.map(toolCallFromData) : [toolCallFromData(a)];
    action = { type: "tool_calls", calls: all };
  } else if (a.type === "clarification") {
    action = { type: "clarification", question: String(a.question ?? ""), options: (a.options as string[]) ?? [] };
  } else {
    action = { type: "finish", answer: String(a.answer ?? "") };
  }
  const { all_tool_calls: _omit, ...rest } = meta;
  return {
    reasoning: (d.reasoning as string | null) ?? null,
    action,
    rawResponse: (d.raw_response as string | null) ?? null,
    ...(Object.keys(rest).length > 0 ? { meta: rest } : {}),
  };
}

function usageToData(u: UsageStats): Json {
  return {
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    total_tokens: u.totalTokens,
    cost_usd: u.costUsd,
    cache_read_input_tokens: u.cacheReadInputTokens,
    cache_creation_input_tokens: u.cacheCreationInputTokens,
    // Not written by the reference; kept so reasoning totals survive a pause.
    reasoning_tokens: u.reasoningTokens,
  };
}

function usageFromData(data: unknown): UsageStats {
  const d = (data ?? {}) as Json;
  const num = (v: unknown) => (typeof v === "number" ? v : 0);
  const opt = (v: unknown) => (typeof v === "number" ? v : null);
  return {
    inputTokens: num(d.input_tokens),
    outputTokens: num(d.output_tokens),
    totalTokens: num(d.total_tokens),
    costUsd: opt(d.cost_usd),
    cacheReadInputTokens: opt(d.cache_read_input_tokens),
    cacheCreationInputTokens: opt(d.cache_creation_input_tokens),
    reasoningTokens: opt(d.reasoning_tokens),
  };
}

export function toolResultToData(r: ToolResult): Json {
  return {
    name: r.name,
    call_id: r.callId,
    payload: r.payload,
    success: r.success ?? true,
    error: r.error ?? null,
    duration_ms: r.durationMs ?? 0,
  };
}

function toolResultFromData(data: unknown): ToolResult {
  const d = data as Json;
  return {
    name: String(d.name),
    callId: String(d.call_id),
    payload: String(d.payload),
    success: d.success !== false,
    error: (d.error as string | null) ?? null,
    durationMs: typeof d.duration_ms === "number" ? d.duration_ms : 0,
  };
}

/** The JSON written to `agent_runs.pause_data`. */
export function toPauseData(state: PauseState): Json {
  return {
    agent_name: state.agentName,
    pending_tool_calls: state.pendingToolCalls.map(toolCallToData),
    pending_targets: { ...state.pendingTargets },
    history: state.history.map(messageToData),
    steps: state.steps.map(stepToData),
    iteration: state.iteration,
    trace_order_offset: state.traceOrderOffset,
    usage: usageToData(state.usage),
  };
}

/** Reads `agent_runs.pause_data` (ours or the reference's); a malformed blob is an error naming the run. */
export function parsePauseData(runId: string, raw: unknown): PauseState {
  try {
    const d = raw as Json;
    if (!d || typeof d !== "object") throw new TypeError("not an object");
    for (const key of ["agent_name", "pending_tool_calls", "history", "steps", "iteration"]) {
      if (!(key in d)) throw new TypeError(`missing "${key}"`);
    }
    return {
      agentName: String(d.agent_name),
      pendingToolCalls: (d.pending_tool_calls as unknown[]).map(toolCallFromData),
      pendingTargets: (d.pending_targets as Record<string, string>) ?? {},
      history: (d.history as unknown[]).map(messageFromData),
      steps: (d.steps as unknown[]).map(stepFromData),
      iteration: Number(d.iteration),
      traceOrderOffset: Number(d.trace_order_offset ?? 0),
      usage: usageFromData(d.usage),
      ...(Array.isArray(d.submitted_tool_results) ? { submittedToolResults: d.submitted_tool_results.map(toolResultFromData) } : {}),
      ...(typeof d.submitted_user_input === "string" ? { submittedUserInput: d.submitted_user_input } : {}),
    };
  } catch (error) {
    throw new ValidationError({ field: "pause_data", message: `Run '${runId}' has malformed pause data: ${(error as Error).message}` });
  }
}
