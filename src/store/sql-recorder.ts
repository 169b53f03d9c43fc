import { sql } from "kysely";
import type { RuntimeAgent } from "../runtime/runtime-agent.js";
import { providerName } from "../llm/provider.js";
import type { LLMResponse } from "../types/llm-response.js";
import type { Message } from "../types/message.js";
import type { LlmCallCompletedDetails, Notifier } from "../types/notifier.js";
import type { ToolCall, ToolDef, ToolResult } from "../types/tool-call.js";
import { newId } from "../util/ulid.js";
import { bestEffort } from "./retry.js";
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
 * The audit trail writer. Traces, tool calls and events are fail-closed (their
 * failure ends the run); LLM interaction and usage rows are best-effort.
 */
export class SqlRecorder implements Notifier {
  readonly #w: RunWriter;
  readonly #agent: RuntimeAgent;

  constructor(writer: RunWriter, agent: RuntimeAgent) {
    this.#w = writer;
    this.#agent = agent;
  }

  async onMessageAppended(_runId: string, message: Message, iteration: number): Promise<void> {
    const meta: Record<string, unknown> = { ...message.meta, iteration };
    if (message.toolCalls && message.toolCalls.length > 0) meta.tool_calls = message.toolCalls.map(traceCall);
    if (message.role === "tool") {
      meta.call_id = message.callId;
      meta.tool_name = message.name;
    }
    await this.#w.trace(message.role, message.content, meta);
  }

  async onLlmCallCompleted(runId: string, response: LLMResponse, iteration: number, details: LlmCallCompletedDetails): Promise<void> {
    const w = this.#w;
    const { adapter, db } = w;
    const id = newId();
    const u = response.usage;
    const model = response.model ?? this.#agent.model;
    const provider = providerName(this.#agent.provider);
    const now = w.now();
    // The two best-effort rows go out together; the fail-closed event follows.
    const interaction = bestEffort(`save llm_interaction (iteration ${iteration})`, runId, () =>
      w.append(
        "llm_interactions",
        {
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
        },
        "save_llm_interaction",
      ),
    );
    // The usage row and the run's running totals go in one transaction, so a
    // paused, cancelled or failed run shows what it spent; `finish` and
    // `cancel` later write the same sums from the run state.
    const usageRow = bestEffort("save usage", runId, () =>
      db.transaction().execute(async (trx) => {
        // The run's totals first, and only while the run is still running here: nothing is added to a run finalized elsewhere.
        const totals = await trx
          .updateTable("agent_runs")
          .set({
            total_input_tokens: sql`total_input_tokens + ${u.inputTokens}`,
            total_output_tokens: sql`total_output_tokens + ${u.outputTokens}`,
            ...(u.costUsd !== null ? { total_cost_usd: sql`COALESCE(total_cost_usd, 0) + ${u.costUsd}` } : {}),
            ...(u.cacheReadInputTokens !== null ? { total_cache_read_tokens: sql`COALESCE(total_cache_read_tokens, 0) + ${u.cacheReadInputTokens}` } : {}),
            ...(u.cacheCreationInputTokens !== null ? { total_cache_creation_tokens: sql`COALESCE(total_cache_creation_tokens, 0) + ${u.cacheCreationInputTokens}` } : {}),
            ...(u.reasoningTokens !== null ? { total_reasoning_tokens: sql`COALESCE(total_reasoning_tokens, 0) + ${u.reasoningTokens}` } : {}),
            iteration_count: sql`CASE WHEN iteration_count < ${iteration} THEN ${iteration} ELSE iteration_count END`,
            updated_at: now,
          })
          .where("id", "=", runId)
          .where("status", "=", "running")
          .executeTakeFirst();
        if (Number(totals.numUpdatedRows) === 0) return;
        await trx
          .insertInto("token_usage")
          .values({
            id: newId(),
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
          })
          .execute();
      }),
    );
    await Promise.all([interaction, usageRow]);
    await w.event(
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

  async onToolCompleted(runId: string, call: ToolCall, result: ToolResult, iteration: number): Promise<void> {
    const w = this.#w;
    const { adapter } = w;
    const target = this.#agent.tools.get(call.name)?.target ?? "server";
    const success = result.success !== false;
    const now = w.now();
    const id = newId();
    await w.append(
      "tool_calls",
      {
          id,
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
      },
      "save_tool_call",
    );
    await w.event("tool.completed", { tool_name: call.name, target, success, duration_ms: result.durationMs ?? 0 }, iteration, call.id);
  }

  async onGovernanceEvent(
    _runId: string,
    eventType: string,
    iteration: number,
    data: Record<string, unknown>,
    info: { correlationId: string | null },
  ): Promise<void> {
    await this.#w.event(eventType, data, iteration, info.correlationId);
  }
}
