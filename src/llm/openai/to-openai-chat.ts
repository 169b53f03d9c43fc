import type { Message } from "../../types/message.js";
import type { ToolDef } from "../../types/tool-call.js";
import { pythonJsonDumps } from "../../util/python-json.js";
import { indexToolCalls } from "../shared/history-checks.js";

/**
 * Dendrux messages → Chat Completions messages. Tool arguments are replayed in
 * the reference's JSON spelling so both implementations send identical prefixes.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export function toOpenAIChatMessages(messages: readonly Message[]): Record<string, unknown>[] {
  const calls = indexToolCalls(messages);
  return messages.map((m) => {
    if (m.role === "assistant" && m.toolCalls && m.toolCalls.length > 0) {
      return {
        role: "assistant",
        ...(m.content ? { content: m.content } : {}),
        tool_calls: m.toolCalls.map((c) => ({
          id: c.providerToolCallId ?? c.id,
          type: "function",
          function: { name: c.name, arguments: pythonJsonDumps(c.params) },
        })),
      };
    }
    if (m.role === "tool") {
      const call = calls.get(m.callId!)!;
      return { role: "tool", tool_call_id: call.providerToolCallId ?? call.id, content: m.content };
    }
    return { role: m.role, content: m.content };
  });
}

export function toOpenAIChatTools(tools: readonly ToolDef[] | null): Record<string, unknown>[] | undefined {
  if (!tools || tools.length === 0) return undefined;
  return tools.map((t) => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.parameters } }));
}
