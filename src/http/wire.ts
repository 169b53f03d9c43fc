import { isoMicros } from "../store/precise-time.js";
import type { LLMCall, PausePair, RunDetail, RunSummary, StoredEvent, ThreadSummary, ThreadTurn, ToolInvocation, TraceEntry } from "../store/records.js";

/**
 * Records → the reference's JSON: snake_case keys in its order, timestamps as
 * ISO 8601 UTC with microseconds. The only place HTTP field names live.
 */
const ts = (d: Date | null) => (d ? isoMicros(d) : null);

/** `metadata` appended last, only when the router was asked for it (the reference has no such field). */
export function withMetadata<T extends object>(body: T, r: RunSummary, include: boolean): T | (T & { metadata: Readonly<Record<string, unknown>> }) {
  return include ? { ...body, metadata: r.metadata } : body;
}

export function runSummaryJson(r: RunSummary) {
  return {
    run_id: r.runId,
    agent_name: r.agentName,
    status: r.status,
    created_at: ts(r.createdAt),
    updated_at: ts(r.updatedAt),
    iteration_count: r.iterationCount,
    total_input_tokens: r.totalInputTokens,
    total_output_tokens: r.totalOutputTokens,
    total_cache_read_tokens: r.totalCacheReadTokens,
    total_cache_creation_tokens: r.totalCacheCreationTokens,
    total_cost_usd: r.totalCostUsd,
    model: r.model,
    parent_run_id: r.parentRunId,
    delegation_level: r.delegationLevel,
    total_reasoning_tokens: r.totalReasoningTokens,
  };
}

/** Spelled out, not spread: `strategy` sits between `model` and `parent_run_id` in the reference's key order. */
export function runDetailJson(r: RunDetail) {
  return {
    run_id: r.runId,
    agent_name: r.agentName,
    status: r.status,
    created_at: ts(r.createdAt),
    updated_at: ts(r.updatedAt),
    iteration_count: r.iterationCount,
    total_input_tokens: r.totalInputTokens,
    total_output_tokens: r.totalOutputTokens,
    total_cache_read_tokens: r.totalCacheReadTokens,
    total_cache_creation_tokens: r.totalCacheCreationTokens,
    total_cost_usd: r.totalCostUsd,
    model: r.model,
    strategy: r.strategy,
    parent_run_id: r.parentRunId,
    delegation_level: r.delegationLevel,
    input_data: r.inputData,
    answer: r.answer,
    error: r.error,
    failure_reason: r.failureReason,
    total_reasoning_tokens: r.totalReasoningTokens,
  };
}

export function eventJson(e: StoredEvent) {
  return {
    sequence_index: e.sequenceIndex,
    iteration_index: e.iterationIndex,
    event_type: e.eventType,
    correlation_id: e.correlationId,
    data: e.data,
    created_at: ts(e.createdAt),
  };
}

/** The SSE frame payload: `timestamp` (not `created_at`), placed before `data`. */
export function sseEventJson(e: StoredEvent) {
  return {
    sequence_index: e.sequenceIndex,
    iteration_index: e.iterationIndex,
    event_type: e.eventType,
    correlation_id: e.correlationId,
    timestamp: ts(e.createdAt),
    data: e.data,
  };
}

export function llmCallJson(c: LLMCall) {
  return {
    id: c.id,
    iteration: c.iteration,
    provider: c.provider,
    model: c.model,
    input_tokens: c.inputTokens,
    output_tokens: c.outputTokens,
    total_tokens: c.totalTokens,
    cache_read_input_tokens: c.cacheReadInputTokens,
    cache_creation_input_tokens: c.cacheCreationInputTokens,
    cost_usd: c.costUsd,
    duration_ms: c.durationMs,
    provider_request: c.providerRequest,
    provider_response: c.providerResponse,
    created_at: ts(c.createdAt),
    reasoning_tokens: c.reasoningTokens,
    reasoning: c.reasoning,
  };
}

export function toolInvocationJson(t: ToolInvocation) {
  return {
    iteration: t.iteration,
    tool_name: t.toolName,
    tool_call_id: t.toolCallId,
    provider_tool_call_id: t.providerToolCallId,
    target: t.target,
    params: t.params,
    result: t.result,
    success: t.success,
    error: t.error,
    duration_ms: t.durationMs,
    created_at: ts(t.createdAt),
  };
}

export function traceJson(t: TraceEntry) {
  return { role: t.role, content: t.content, order_index: t.orderIndex, meta: t.meta, created_at: ts(t.createdAt) };
}

export function pauseJson(p: PausePair) {
  return {
    pause_sequence_index: p.pauseSequenceIndex,
    pause_at: ts(p.pauseAt),
    resume_sequence_index: p.resumeSequenceIndex,
    resume_at: ts(p.resumeAt),
    reason: p.reason,
    pending_tool_calls: p.pendingToolCalls,
    submitted_results: p.submittedResults,
    user_input: p.userInput,
  };
}

/** A thread turn: the run summary, then what was said, answered or failed, and the run's metadata. */
export function threadTurnJson(t: ThreadTurn) {
  return { ...runSummaryJson(t), input: t.input, answer: t.answer, error: t.error, metadata: t.metadata };
}

export function threadSummaryJson(s: ThreadSummary) {
  return {
    thread_id: s.threadId,
    turns: s.turns,
    statuses: s.statuses,
    total_input_tokens: s.totalInputTokens,
    total_output_tokens: s.totalOutputTokens,
    total_tokens: s.totalTokens,
    total_cache_read_tokens: s.totalCacheReadTokens,
    total_cache_creation_tokens: s.totalCacheCreationTokens,
    total_reasoning_tokens: s.totalReasoningTokens,
    total_cost_usd: s.totalCostUsd,
    first_activity_at: ts(s.firstActivityAt),
    last_activity_at: ts(s.lastActivityAt),
  };
}

/** A thread stream frame's payload: the run SSE payload with `run_id` first. */
export function threadSseEventJson(runId: string, e: StoredEvent) {
  return { run_id: runId, ...sseEventJson(e) };
}
