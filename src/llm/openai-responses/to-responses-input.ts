import type { Message } from "../../types/message.js";
import type { ToolDef } from "../../types/tool-call.js";
import { pythonJsonDumps } from "../../util/python-json.js";
import { indexToolCalls } from "../shared/history-checks.js";

/**
 * Dendrux messages → Responses API `instructions` + `input` items.
 * Reasoning items are not carried into later turns (a documented limitation).
 * @see https://platform.openai.com/docs/api-reference/responses/create
 */
export function toResponsesInput(messages: readonly Message[]): { instructions: string; input: Record<string, unknown>[] } {
  const calls = indexToolCalls(messages);
  const system: string[] = [];
  const input: Record<string, unknown>[] = [];
  for (const m of messages) {
    if (m.role === "system") {
      system.push(m.content);
    } else if (m.role === "assistant" && m.toolCalls && m.toolCalls.length > 0) {
      if (m.content) input.push({ role: "assistant", content: m.content });
      for (const c of m.toolCalls) {
        input.push({ type: "function_call", call_id: c.providerToolCallId ?? c.id, name: c.name, arguments: pythonJsonDumps(c.params) });
      }
    } else if (m.role === "tool") {
      const call = calls.get(m.callId!)!;
      input.push({ type: "function_call_output", call_id: call.providerToolCallId ?? call.id, output: m.content });
    } else {
      input.push({ role: m.role, content: m.content });
    }
  }
  return { instructions: system.join("\n\n"), input };
}

export function toResponsesTools(tools: readonly ToolDef[] | null, builtins: readonly string[]): Record<string, unknown>[] | undefined {
  const out: Record<string, unknown>[] = builtins.map((type) => ({ type }));
  for (const t of tools ?? []) out.push({ type: "function", name: t.name, description: t.description, parameters: t.parameters });
  return out.length > 0 ? out : undefined;
}
