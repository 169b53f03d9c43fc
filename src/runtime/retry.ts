import { ValidationError } from "../errors/validation-error.js";
import type { Message } from "../types/message.js";
import { isTerminalStatus } from "../types/run-status.js";
import type { ToolCall } from "../types/tool-call.js";
import { newId } from "../util/ulid.js";
import type { Persistence, StoredTrace } from "./persistence.js";
import { RunNotFoundError } from "../errors/run-not-found-error.js";

function toolCallsFrom(meta: Record<string, unknown> | null): ToolCall[] | undefined {
  const raw = meta?.tool_calls;
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  return raw.map((c: Record<string, unknown>) => ({
    id: String(c.id ?? newId()),
    name: String(c.name),
    params: (c.params as Record<string, unknown>) ?? {},
    providerToolCallId: (c.provider_tool_call_id as string | null) ?? null,
  }));
}

/** The message's own `meta` (e.g. a provider's thinking blocks) without what the trace added for bookkeeping. */
function messageMeta(meta: Record<string, unknown> | null): Record<string, unknown> | undefined {
  if (!meta) return undefined;
  const { iteration: _iteration, tool_calls: _calls, call_id: _callId, tool_name: _toolName, ...own } = meta;
  return Object.keys(own).length > 0 ? own : undefined;
}

/** The conversation a retry continues from, rebuilt from the source run's traces. */
export function historyFromTraces(traces: readonly StoredTrace[]): Message[] {
  const history: Message[] = [];
  for (const t of traces) {
    if (t.role === "user") history.push({ role: "user", content: t.content });
    else if (t.role === "assistant") {
      const toolCalls = toolCallsFrom(t.meta);
      const meta = messageMeta(t.meta);
      history.push({ role: "assistant", content: t.content, ...(toolCalls ? { toolCalls } : {}), ...(meta ? { meta } : {}) });
    } else if (t.role === "tool") {
      history.push({
        role: "tool",
        content: t.content,
        name: typeof t.meta?.tool_name === "string" ? t.meta.tool_name : "unknown",
        callId: typeof t.meta?.call_id === "string" ? t.meta.call_id : newId(),
        ...(t.meta?.is_error ? { meta: { is_error: true } } : {}),
      });
    }
  }
  return history;
}

/** Checks a run can be retried and returns the history to seed the new run with. */
export async function loadRetrySource(
  persistence: Persistence,
  runId: string,
): Promise<{ history: Message[]; userInput: string; piiMapping: Record<string, string> }> {
  const run = await persistence.getRun(runId);
  if (!run) throw new RunNotFoundError({ runId });
  if (!isTerminalStatus(run.status)) {
    throw new ValidationError({
      field: "runId",
      message: `Run '${runId}' is in status '${run.status}' — only terminal runs (error, cancelled, max_iterations, success) can be retried.`,
    });
  }
  const meta = await persistence.getRunMeta(runId);
  if (meta?.["dendrux.loop"] === "SingleCall") {
    throw new ValidationError({ field: "runId", message: "SingleCall runs cannot be retried with context — they have no iterative history to seed. Call agent.run() instead." });
  }
  const traces = await persistence.getTraces(runId);
  if (traces.length === 0) throw new ValidationError({ field: "runId", message: `Run '${runId}' has no persisted traces. Cannot retry without prior context.` });
  const firstUser = traces.find((t) => t.role === "user");
  // Traces hold placeholders, so the retry continues the source run's mapping.
  return { history: historyFromTraces(traces), userInput: firstUser?.content ?? "Continue from previous attempt.", piiMapping: { ...run.piiMapping } };
}
