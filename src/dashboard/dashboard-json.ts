import { isoMicros } from "../store/precise-time.js";
import type { LLMCall, PausePair, RunDetail, RunSummary, StoredEvent, ToolInvocation, TraceEntry } from "../store/records.js";
import type { RunStore } from "../store/run-store.js";

/**
 * `RunStore` records → the dashboard API's JSON (the Python reference's
 * dashboard shapes: row ids, semantic payloads, pause counts, key order).
 */
const ts = (d: Date | null) => (d ? isoMicros(d) : null);

export function runItemJson(r: RunSummary, pauseCount: number) {
  return {
    run_id: r.runId,
    agent_name: r.agentName,
    status: r.status,
    iteration_count: r.iterationCount,
    total_input_tokens: r.totalInputTokens,
    total_output_tokens: r.totalOutputTokens,
    total_cost_usd: r.totalCostUsd,
    total_cache_read_tokens: r.totalCacheReadTokens,
    total_cache_creation_tokens: r.totalCacheCreationTokens,
    model: r.model,
    parent_run_id: r.parentRunId,
    delegation_level: r.delegationLevel,
    pause_count: pauseCount,
    created_at: ts(r.createdAt),
    updated_at: ts(r.updatedAt),
  };
}

/** The user's text from `input_data` (`{"input": …}`), or `null`. */
export function inputText(r: RunDetail): string | null {
  const input = r.inputData as { input?: unknown } | null;
  return input && typeof input === "object" && typeof input.input === "string" ? input.input : null;
}

export function summaryJson(r: RunDetail) {
  return {
    run_id: r.runId,
    agent_name: r.agentName,
    status: r.status,
    model: r.model,
    strategy: r.strategy,
    input_text: inputText(r),
    answer: r.answer,
    error: r.error,
    iteration_count: r.iterationCount,
    total_input_tokens: r.totalInputTokens,
    total_output_tokens: r.totalOutputTokens,
    total_cost_usd: r.totalCostUsd,
    total_cache_read_tokens: r.totalCacheReadTokens,
    total_cache_creation_tokens: r.totalCacheCreationTokens,
    total_reasoning_tokens: r.totalReasoningTokens,
    created_at: ts(r.createdAt),
    updated_at: ts(r.updatedAt),
  };
}

export function eventItemJson(e: StoredEvent) {
  return {
    id: e.id,
    event_type: e.eventType,
    sequence_index: e.sequenceIndex,
    iteration_index: e.iterationIndex,
    correlation_id: e.correlationId,
    data: e.data,
    created_at: ts(e.createdAt),
  };
}

export function traceItemJson(t: TraceEntry) {
  return { id: t.id, role: t.role, content: t.content, order_index: t.orderIndex, meta: t.meta, created_at: ts(t.createdAt) };
}

export function toolCallItemJson(c: ToolInvocation) {
  return {
    id: c.id,
    tool_call_id: c.toolCallId,
    tool_name: c.toolName,
    target: c.target,
    params: c.params,
    result: c.result,
    success: c.success,
    duration_ms: c.durationMs,
    iteration_index: c.iteration,
    error_message: c.error,
    created_at: ts(c.createdAt),
  };
}

export function llmCallItemJson(c: LLMCall) {
  return {
    id: c.id,
    iteration_index: c.iteration,
    model: c.model,
    provider: c.provider,
    semantic_request: c.semanticRequest,
    semantic_response: c.semanticResponse,
    provider_request: c.providerRequest,
    provider_response: c.providerResponse,
    input_tokens: c.inputTokens,
    output_tokens: c.outputTokens,
    cost_usd: c.costUsd,
    duration_ms: c.durationMs,
    cache_read_input_tokens: c.cacheReadInputTokens,
    cache_creation_input_tokens: c.cacheCreationInputTokens,
    created_at: ts(c.createdAt),
  };
}

/** The calls a run is waiting on: its last pause, if nothing resumed it. */
export function openPause(pauses: readonly PausePair[]): PausePair | null {
  const last = pauses.at(-1);
  return last && last.resumeSequenceIndex === null ? last : null;
}

type Brief = { run_id: string; agent_name: string; status: string; delegation_level: number };
const brief = (r: RunSummary): Brief => ({ run_id: r.runId, agent_name: r.agentName, status: r.status, delegation_level: r.delegationLevel });

/** Parent, children, ancestry (root first) and subtree totals, guarded against cycles. */
export async function delegationJson(store: RunStore, run: RunDetail) {
  let parent: Record<string, unknown> | null = null;
  const ancestry: Brief[] = [];
  let complete = true;
  const seen = new Set([run.runId]);
  let cursor = run.parentRunId;
  while (cursor) {
    if (seen.has(cursor)) {
      complete = false;
      break;
    }
    seen.add(cursor);
    const up = await store.getRun(cursor);
    if (!up) {
      parent ??= { run_id: cursor, resolved: false, agent_name: null, status: null, delegation_level: null };
      complete = false;
      break;
    }
    // Key order as the reference writes it: run_id, resolved, then the brief.
    if (!parent) {
      const { run_id, ...rest } = brief(up);
      parent = { run_id, resolved: true, ...rest };
    }
    ancestry.unshift(brief(up));
    cursor = up.parentRunId;
  }
  const childrenOf = async (id: string) => (await store.listRuns({ parentRunId: id, limit: 1000 })).reverse();
  const children = await childrenOf(run.runId);
  const statusCounts: Record<string, number> = {};
  let inputTokens = 0;
  let outputTokens = 0;
  let cost: number | null = null;
  let unknownCost = 0;
  let descendants = 0;
  let maxDepth = 0;
  const visit = (r: RunSummary) => {
    statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;
    inputTokens += r.totalInputTokens;
    outputTokens += r.totalOutputTokens;
    if (r.totalCostUsd === null) unknownCost += 1;
    else cost = (cost ?? 0) + r.totalCostUsd;
  };
  visit(run);
  const visited = new Set([run.runId]);
  let frontier = children.map((c) => ({ row: c, depth: 1 }));
  while (frontier.length > 0) {
    const next: { row: RunSummary; depth: number }[] = [];
    for (const { row, depth } of frontier) {
      if (visited.has(row.runId)) continue;
      visited.add(row.runId);
      descendants += 1;
      maxDepth = Math.max(maxDepth, depth);
      visit(row);
      next.push(...(await childrenOf(row.runId)).map((g) => ({ row: g, depth: depth + 1 })));
    }
    frontier = next;
  }
  return {
    parent,
    children: children.map(brief),
    ancestry,
    subtree_summary: {
      direct_child_count: children.length,
      descendant_count: descendants,
      max_depth: maxDepth,
      subtree_input_tokens: inputTokens,
      subtree_output_tokens: outputTokens,
      subtree_cost_usd: cost === null ? null : Math.round((cost as number) * 1e6) / 1e6,
      unknown_cost_count: unknownCost,
      status_counts: statusCounts,
    },
    ancestry_complete: complete,
  };
}
