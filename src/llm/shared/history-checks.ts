import { ValidationError } from "../../errors/validation-error.js";
import type { Message } from "../../types/message.js";
import type { ToolCall } from "../../types/tool-call.js";

/** Every adapter's precondition: unique call ids, and each tool message answering a known call. */
export function indexToolCalls(messages: readonly Message[]): Map<string, ToolCall> {
  const calls = new Map<string, ToolCall>();
  for (const m of messages) {
    for (const call of m.toolCalls ?? []) {
      if (calls.has(call.id)) throw new ValidationError({ field: "history", message: `Duplicate Dendrux call_id '${call.id}' in conversation history. Tool calls must have unique IDs.` });
      calls.set(call.id, call);
    }
  }
  for (const m of messages) {
    if (m.role !== "tool") continue;
    if (!m.callId) throw new ValidationError({ field: "history", message: "TOOL message missing call_id." });
    if (!calls.has(m.callId)) {
      throw new ValidationError({ field: "history", message: `TOOL message references call_id '${m.callId}' but no matching ToolCall found in conversation history.` });
    }
  }
  return calls;
}
