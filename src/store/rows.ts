import type { RunStatus } from "../types/run-status.js";
import type { UsageStats } from "../types/usage.js";
import { quantizeCost } from "./dialect/json-values.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";
import type { LLMCall, RunDetail, RunSummary, StoredEvent, ToolInvocation, TraceEntry } from "./records.js";
import type { AgentRunsRow, LlmInteractionsRow, ReactTracesRow, RunEventsRow, ToolCallsRow } from "./schema.js";

/** NUMERIC(10, 6) as a number: 6 decimals, `null` stays `null`. */
/** A run's token and cost totals as `agent_runs` columns (counts the run never saw are 0). */
export function totalsColumns(usage: Pick<UsageStats, "inputTokens" | "outputTokens" | "costUsd" | "cacheReadInputTokens" | "cacheCreationInputTokens" | "reasoningTokens">) {
  return {
    total_input_tokens: usage.inputTokens,
    total_output_tokens: usage.outputTokens,
    total_cost_usd: usage.costUsd,
    total_cache_read_tokens: usage.cacheReadInputTokens ?? 0,
    total_cache_creation_tokens: usage.cacheCreationInputTokens ?? 0,
    total_reasoning_tokens: usage.reasoningTokens ?? 0,
  };
}

export function readCost(value: unknown): number | null {
  return quantizeCost(value);
}

/** The `agent_runs` columns a `RunSummary` is made of: lists read only these (not inputs, outputs or pause data). */
export const SUMMARY_COLUMNS = [
  "id",
  "agent_name",
  "status",
  "created_at",
  "updated_at",
  "iteration_count",
  "total_input_tokens",
  "total_output_tokens",
  "total_cache_read_tokens",
  "total_cache_creation_tokens",
  "total_cost_usd",
  "model",
  "parent_run_id",
  "delegation_level",
  "total_reasoning_tokens",
  "meta",
] as const satisfies readonly (keyof AgentRunsRow)[];

/** The one place rows (snake_case, engine-specific types) become records. */
export function toRunSummary(a: StoreAdapter, r: Pick<AgentRunsRow, (typeof SUMMARY_COLUMNS)[number]>): RunSummary {
  return {
    runId: r.id,
    agentName: r.agent_name,
    status: r.status as RunStatus,
    createdAt: a.readTimestamp(r.created_at),
    updatedAt: a.readTimestamp(r.updated_at),
    iterationCount: r.iteration_count,
    totalInputTokens: r.total_input_tokens,
    totalOutputTokens: r.total_output_tokens,
    totalCacheReadTokens: r.total_cache_read_tokens,
    totalCacheCreationTokens: r.total_cache_creation_tokens,
    totalCostUsd: readCost(r.total_cost_usd),
    model: r.model,
    parentRunId: r.parent_run_id,
    delegationLevel: r.delegation_level,
    totalReasoningTokens: Number(r.total_reasoning_tokens ?? 0),
    metadata: userMetadata(a.readJson(r.meta)),
  };
}

/** `meta` without dendrux's own `dendrux.*` keys: what the caller passed as `metadata`. */
export function userMetadata(meta: unknown): Record<string, unknown> {
  if (!meta || typeof meta !== "object" || Array.isArray(meta)) return {};
  const source = meta as Record<string, unknown>;
  // A plain loop, not entries/filter/fromEntries: a list page runs this for every row.
  const own: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key.startsWith("dendrux.")) continue;
    if (key === "__proto__") Object.defineProperty(own, key, { value: source[key], enumerable: true, writable: true, configurable: true });
    else own[key] = source[key];
  }
  return own;
}

export function toRunDetail(a: StoreAdapter, r: AgentRunsRow): RunDetail {
  const s = toRunSummary(a, r);
  const output = a.readJson(r.output_data) as { answer?: unknown } | null;
  return {
    runId: s.runId,
    agentName: s.agentName,
    status: s.status,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    iterationCount: s.iterationCount,
    totalInputTokens: s.totalInputTokens,
    totalOutputTokens: s.totalOutputTokens,
    totalCacheReadTokens: s.totalCacheReadTokens,
    totalCacheCreationTokens: s.totalCacheCreationTokens,
    totalCostUsd: s.totalCostUsd,
    model: s.model,
    strategy: r.strategy,
    parentRunId: s.parentRunId,
    delegationLevel: s.delegationLevel,
    inputData: a.readJson(r.input_data),
    answer: output && typeof output === "object" && !Array.isArray(output) && typeof output.answer === "string" ? output.answer : null,
    error: r.error,
    failureReason: r.failure_reason,
    totalReasoningTokens: s.totalReasoningTokens,
    metadata: s.metadata,
    tenantId: r.tenant_id,
  };
}

export function toStoredEvent(a: StoreAdapter, r: RunEventsRow): StoredEvent {
  return {
    sequenceIndex: r.sequence_index,
    iterationIndex: r.iteration_index,
    eventType: r.event_type,
    correlationId: r.correlation_id,
    data: a.readJson(r.data),
    createdAt: a.readTimestamp(r.created_at),
    id: r.id,
  };
}

export function toLlmCall(a: StoreAdapter, r: LlmInteractionsRow): LLMCall {
  const semantic = a.readJson(r.semantic_response) as { reasoning?: unknown } | null;
  return {
    id: r.id,
    iteration: r.iteration_index,
    provider: r.provider,
    model: r.model,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    totalTokens: r.input_tokens + r.output_tokens,
    cacheReadInputTokens: r.cache_read_input_tokens,
    cacheCreationInputTokens: r.cache_creation_input_tokens,
    costUsd: readCost(r.cost_usd),
    durationMs: r.duration_ms,
    providerRequest: a.readJson(r.provider_request),
    providerResponse: a.readJson(r.provider_response),
    createdAt: a.readTimestamp(r.created_at),
    reasoningTokens: r.reasoning_tokens,
    reasoning: semantic && typeof semantic === "object" && typeof semantic.reasoning === "string" ? semantic.reasoning : null,
    semanticRequest: a.readJson(r.semantic_request),
    semanticResponse: semantic,
  };
}

export function toToolInvocation(a: StoreAdapter, r: ToolCallsRow): ToolInvocation {
  return {
    iteration: r.iteration_index ?? 0,
    toolName: r.tool_name,
    toolCallId: r.tool_call_id,
    providerToolCallId: r.provider_tool_call_id,
    target: r.target,
    params: a.readJson(r.params),
    result: a.readJson(r.result),
    success: a.readBool(r.success),
    error: r.error_message,
    durationMs: r.duration_ms,
    createdAt: a.readTimestamp(r.created_at),
    id: r.id,
  };
}

export function toTraceEntry(a: StoreAdapter, r: ReactTracesRow): TraceEntry {
  return { role: r.role, content: r.content, orderIndex: r.order_index, meta: a.readJson(r.meta), createdAt: a.readTimestamp(r.created_at), id: r.id };
}

