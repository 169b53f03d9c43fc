import type { RuntimeAgent } from "../runtime/runtime-agent.js";
import { providerName } from "../llm/provider.js";
import type { LLMResponse } from "../types/llm-response.js";
import type { Message } from "../types/message.js";
import type { LlmCallCompletedDetails, Notifier } from "../types/notifier.js";
import type { ToolCall, ToolDef, ToolResult } from "../types/tool-call.js";
import { newRowId } from "../util/ulid.js";
import type { RunWriter } from "./run-writer.js";

const traceCall = (c: ToolCall) => ({ id: c.id, provider_tool_call_id: c.providerToolCallId, name: c.name, params: c.params });
const semanticCall = (c: ToolCall) => ({ id: c.id, provider_tool_call_id: c.providerToolCallId, name: c.name, params: c.params });

function semanticMessage(m: Message): Record<string, unknown> {
  const out: Record<string, unknown> = { role: m.role, content: m.content };
  if (m.toolCalls && m.toolCalls.length > 0) out.tool_calls = m.toolCalls.map(semanticCall);
  if (m.callId !== undefined) out.call_id = m.callId;
  if (m.name !== undefined) out.name = m.name;
  if (m.meta && Object.keys(m.meta).length > 0) out.meta = m.meta;
  return out;
}

function semanticTool(t: ToolDef): Record<string, unknown> {
  return { name: t.name, description: t.description, parameters: t.parameters, target: t.target, meta: Object.keys(t.meta).length > 0 ? t.meta : null };
}

function usageData(r: LLMResponse): Record<string, unknown> {
  const u = r.usage;
  return {
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    total_tokens: u.totalTokens,
    cost_usd: u.costUsd,
    cache_read_input_tokens: u.cacheReadInputTokens,
    cache_creation_input_tokens: u.cacheCreationInputTokens,
    reasoning_tokens: u.reasoningTokens,
  };
}

function semanticResponse(r: LLMResponse): Record<string, unknown> | null {
  const calls = r.toolCalls ?? [];
  if (!r.text && calls.length === 0 && !r.reasoning) return null;
  return {
    ...(r.reasoning ? { reasoning: r.reasoning } : {}),
    ...(r.text ? { text: r.text } : {}),
    ...(calls.length > 0 ? { tool_calls: calls.map(semanticCall) } : {}),
    usage: usageData(r),
  };
}

/** A tool result payload as `tool_calls.result` stores it: parsed JSON, or `{"raw": …}`. */
function resultValue(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return { raw: payload };
  }
}

/**
 * The audit trail writer. Each hook buffers its rows in the run's writer; the
 * writer commits them at the step's boundary, which for a tool is just before
 * it runs (`onToolStarted`). LLM interaction and usage rows are best-effort:
 * the writer commits the rest without them when they alone fail.
 */
export class SqlRecorder implements Notifier {
  readonly #w: RunWriter;
  readonly #agent: RuntimeAgent;

  constructor(writer: RunWriter, agent: RuntimeAgent) {
    this.#w = writer;
    this.#agent = agent;
  }

  onMessageAppended(_runId: string, message: Message, iteration: number): void {
    const meta: Record<string, unknown> = { ...message.meta, iteration };
    if (message.toolCalls && message.toolCalls.length > 0) meta.tool_calls = message.toolCalls.map(traceCall);
    if (message.role === "tool") {
      meta.call_id = message.callId;
      meta.tool_name = message.name;
    }
    this.#w.trace(message.role, message.content, meta);
  }

  onLlmCallCompleted(runId: string, response: LLMResponse, iteration: number, details: LlmCallCompletedDetails): void {
    const w = this.#w;
    const { adapter } = w;
    const id = newRowId();
    const u = response.usage;
    const model = response.model ?? this.#agent.model;
    const provider = providerName(this.#agent.provider);
    const now = w.now();
    w.append("llm_interactions", {
      id,
      agent_run_id: runId,
      iteration_index: iteration,
      model,
      provider,
      semantic_request: adapter.json({
        messages: details.semanticMessages.map(semanticMessage),
        tools: details.semanticTools ? details.semanticTools.map(semanticTool) : null,
      }),
      semantic_response: adapter.json(semanticResponse(response)),
      provider_request: adapter.json(response.providerRequest ?? null),
      provider_response: adapter.json(response.providerResponse ?? null),
      input_tokens: u.inputTokens,
      output_tokens: u.outputTokens,
      cost_usd: u.costUsd,
      duration_ms: details.durationMs,
      cache_read_input_tokens: u.cacheReadInputTokens,
      cache_creation_input_tokens: u.cacheCreationInputTokens,
      reasoning_tokens: u.reasoningTokens,
      guardrail_findings: adapter.json(details.guardrailFindings ?? null),
      created_at: now,
    });
    // The usage row and the run's running totals commit together, so a paused,
    // cancelled or failed run shows what it spent; `finish` and `cancel` later
    // write the same sums from the run state.
    w.addUsage({ ...u, iteration });
    w.append("token_usage", {
      id: newRowId(),
      agent_run_id: runId,
      iteration_index: iteration,
      model,
      provider,
      input_tokens: u.inputTokens,
      output_tokens: u.outputTokens,
      cost_usd: u.costUsd,
      duration_ms: null,
      cache_read_input_tokens: u.cacheReadInputTokens,
      cache_creation_input_tokens: u.cacheCreationInputTokens,
      reasoning_tokens: u.reasoningTokens,
      meta: adapter.json(null),
      created_at: now,
    });
    w.event(
      "llm.completed",
      {
        input_tokens: u.inputTokens,
        output_tokens: u.outputTokens,
        cache_read_input_tokens: u.cacheReadInputTokens,
        cache_creation_input_tokens: u.cacheCreationInputTokens,
        reasoning_tokens: u.reasoningTokens,
        cost_usd: u.costUsd,
        model,
        has_tool_calls: (response.toolCalls?.length ?? 0) > 0,
      },
      iteration,
      id,
    );
  }

  /** A tool is about to run: everything that led to it is committed first. */
  async onToolStarted(): Promise<void> {
    await this.#w.flush();
  }

  onToolCompleted(runId: string, call: ToolCall, result: ToolResult, iteration: number): void {
    const w = this.#w;
    const { adapter } = w;
    const target = this.#agent.tools.get(call.name)?.target ?? "server";
    const success = result.success !== false;
    const now = w.now();
    w.append("tool_calls", {
      id: newRowId(),
      agent_run_id: runId,
      tool_call_id: call.id,
      provider_tool_call_id: call.providerToolCallId,
      tool_name: call.name,
      target,
      params: adapter.json(Object.keys(call.params).length > 0 ? call.params : null),
      result: adapter.json(resultValue(result.payload)),
      success: adapter.bool(success),
      duration_ms: result.durationMs ?? 0,
      iteration_index: iteration,
      error_message: result.error ?? null,
      meta: adapter.json(null),
      created_at: now,
      updated_at: now,
    });
    w.event("tool.completed", { tool_name: call.name, target, success, duration_ms: result.durationMs ?? 0 }, iteration, call.id);
  }

  onGovernanceEvent(_runId: string, eventType: string, iteration: number, data: Record<string, unknown>, info: { correlationId: string | null }): void {
    this.#w.event(eventType, data, iteration, info.correlationId);
  }
}
