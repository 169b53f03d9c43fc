import { z } from "zod";
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
  /** Pending calls a human already approved (a batch paused again after its approval). */
  readonly approvedCallIds?: readonly string[];
  readonly submittedToolResults?: readonly ToolResult[];
  readonly submittedUserInput?: string;
}

type Json = Record<string, unknown>;

export function toolCallToData(call: ToolCall): Json {
  return { name: call.name, params: call.params, id: call.id, provider_tool_call_id: call.providerToolCallId };
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
    // Our addition (readers that do not know it ignore it): approvals survive a second pause of the batch.
    ...(state.approvedCallIds && state.approvedCallIds.length > 0 ? { approved_call_ids: [...state.approvedCallIds] } : {}),
  };
}

// The stored shape, as the reference writes it (and as we do, with a few
// optional additions). Unknown keys are ignored, as the reference does.
const JsonObject = z.record(z.string(), z.unknown());

const ToolCallData = z
  .object({
    name: z.string(),
    id: z.string(),
    params: JsonObject.nullish(),
    provider_tool_call_id: z.string().nullish(),
  })
  .transform((d): ToolCall => ({ name: d.name, params: d.params ?? {}, id: d.id, providerToolCallId: d.provider_tool_call_id ?? null }));

const MessageData = z
  .object({
    role: z.enum(["system", "user", "assistant", "tool"]),
    content: z.string(),
    name: z.string().nullish(),
    tool_calls: z.array(ToolCallData).nullish(),
    call_id: z.string().nullish(),
    meta: JsonObject.nullish(),
    kind: z.string().nullish(),
    placement: z.string().nullish(),
    source: z.string().nullish(),
  })
  .transform(
    (d): Message => ({
      role: d.role as Role,
      content: d.content,
      ...(typeof d.name === "string" ? { name: d.name } : {}),
      ...(d.tool_calls && d.tool_calls.length > 0 ? { toolCalls: d.tool_calls } : {}),
      ...(typeof d.call_id === "string" ? { callId: d.call_id } : {}),
      ...(d.meta ? { meta: d.meta } : {}),
      ...(typeof d.kind === "string" ? { kind: d.kind } : {}),
      ...(d.placement === "stable" ? { placement: "stable" as const } : {}),
      ...(typeof d.source === "string" ? { source: d.source } : {}),
    }),
  );

const ActionData = z.union([
  z.object({ type: z.literal("tool_call"), name: z.string(), id: z.string(), params: JsonObject.nullish(), provider_tool_call_id: z.string().nullish() }),
  z.object({ type: z.literal("clarification"), question: z.string(), options: z.array(z.string()).nullish() }),
  z.object({ type: z.literal("finish"), answer: z.string().nullish(), meta: JsonObject.nullish() }),
]);

const StepData = z
  .object({
    reasoning: z.string().nullish(),
    action: ActionData,
    raw_response: z.string().nullish(),
    meta: z.looseObject({ all_tool_calls: z.array(ToolCallData).optional() }).nullish(),
  })
  .transform((d): AgentStep => {
    const { all_tool_calls: all, ...rest } = d.meta ?? {};
    let action: AgentStep["action"];
    if (d.action.type === "tool_call") {
      const first = ToolCallData.parse(d.action);
      action = { type: "tool_calls", calls: all ?? [first] };
    } else if (d.action.type === "clarification") {
      action = { type: "clarification", question: d.action.question, options: d.action.options ?? [] };
    } else {
      action = { type: "finish", answer: d.action.answer ?? "" };
    }
    return {
      reasoning: d.reasoning ?? null,
      action,
      rawResponse: d.raw_response ?? null,
      ...(Object.keys(rest).length > 0 ? { meta: rest } : {}),
    };
  });

const count = z.number().nullish();
const UsageData = z
  .object({
    input_tokens: count,
    output_tokens: count,
    total_tokens: count,
    cost_usd: count,
    cache_read_input_tokens: count,
    cache_creation_input_tokens: count,
    reasoning_tokens: count,
  })
  .nullish()
  .transform(
    (d): UsageStats => ({
      inputTokens: d?.input_tokens ?? 0,
      outputTokens: d?.output_tokens ?? 0,
      totalTokens: d?.total_tokens ?? 0,
      costUsd: d?.cost_usd ?? null,
      cacheReadInputTokens: d?.cache_read_input_tokens ?? null,
      cacheCreationInputTokens: d?.cache_creation_input_tokens ?? null,
      reasoningTokens: d?.reasoning_tokens ?? null,
    }),
  );

const ToolResultData = z
  .object({
    name: z.string(),
    call_id: z.string(),
    payload: z.string(),
    success: z.boolean().nullish(),
    error: z.string().nullish(),
    duration_ms: z.number().nullish(),
  })
  .transform(
    (d): ToolResult => ({ name: d.name, callId: d.call_id, payload: d.payload, success: d.success !== false, error: d.error ?? null, durationMs: d.duration_ms ?? 0 }),
  );

const PauseData = z
  .object({
    agent_name: z.string(),
    pending_tool_calls: z.array(ToolCallData),
    pending_targets: z.record(z.string(), z.string()).nullish(),
    history: z.array(MessageData),
    steps: z.array(StepData),
    iteration: z.number().int().nonnegative(),
    trace_order_offset: z.number().int().nonnegative().nullish(),
    usage: UsageData,
    approved_call_ids: z.array(z.string()).nullish(),
    submitted_tool_results: z.array(ToolResultData).nullish(),
    submitted_user_input: z.string().nullish(),
  })
  .transform(
    (d): PauseState => ({
      agentName: d.agent_name,
      pendingToolCalls: d.pending_tool_calls,
      pendingTargets: d.pending_targets ?? {},
      history: d.history,
      steps: d.steps,
      iteration: d.iteration,
      traceOrderOffset: d.trace_order_offset ?? 0,
      usage: d.usage,
      ...(d.approved_call_ids && d.approved_call_ids.length > 0 ? { approvedCallIds: d.approved_call_ids } : {}),
      ...(d.submitted_tool_results ? { submittedToolResults: d.submitted_tool_results } : {}),
      ...(typeof d.submitted_user_input === "string" ? { submittedUserInput: d.submitted_user_input } : {}),
    }),
  );

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Reads `agent_runs.pause_data` (ours or the reference's); a malformed blob is an error naming the run and the field. */
export function parsePauseData(runId: string, raw: unknown): PauseState {
  const parsed = PauseData.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ValidationError({ field: "pause_data", message: `Run '${runId}' has malformed pause data: ${describeIssue(parsed.error.issues[0]!)}` });
}
