import { isoMicros } from "../store/precise-time.js";
import type { LLMCall, PausePair, RunDetail, RunSummary, StoredEvent, ToolInvocation, TraceEntry } from "../store/records.js";

/**
 * Records → the reference's JSON: snake_case keys in its order, timestamps as
 * ISO 8601 UTC with microseconds. The only place HTTP field names live.
 */
const ts = (d: Date | null) => (d ? isoMicros(d) : null);

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
