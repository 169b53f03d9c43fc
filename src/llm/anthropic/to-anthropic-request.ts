import type { Message } from "../../types/message.js";
import type { ToolDef } from "../../types/tool-call.js";
import { indexToolCalls } from "../shared/history-checks.js";
import { THINKING_BLOCKS_KEY } from "./from-anthropic-response.js";

/** @see https://docs.anthropic.com/en/api/messages */
export type AnthropicBlock = Record<string, unknown> & { type: string };
export interface AnthropicMessage {
  role: "user" | "assistant";
  content: string | AnthropicBlock[];
}

export type CacheTtl = "5m" | "1h";

const THINKING_TYPES = new Set(["thinking", "redacted_thinking"]);

/** The thinking blocks an assistant turn carries, as the API returned them (copies; never rewritten). */
function thinkingBlocksOf(message: Message): AnthropicBlock[] {
  const stored = message.meta?.[THINKING_BLOCKS_KEY];
  if (!Array.isArray(stored)) return [];
  return stored
    .filter((b): b is AnthropicBlock => !!b && typeof b === "object" && THINKING_TYPES.has((b as AnthropicBlock).type))
    .map((b) => ({ ...b }));
}

/**
 * Dendrux messages → Anthropic `system` + `messages`. System messages are
 * joined; parallel tool results share one user turn; a result whose call has
 * no vendor id goes back as plain user text.
 */
export function toAnthropicMessages(messages: readonly Message[]): { system: string; messages: AnthropicMessage[] } {
  const calls = indexToolCalls(messages);
  const system: string[] = [];
  const out: AnthropicMessage[] = [];
  for (const m of messages) {
    if (m.role === "system") {
      system.push(m.content);
    } else if (m.role === "user") {
      out.push({ role: "user", content: m.content });
    } else if (m.role === "assistant") {
      const thinking = thinkingBlocksOf(m);
      if ((!m.toolCalls || m.toolCalls.length === 0) && thinking.length === 0) {
        out.push({ role: "assistant", content: m.content });
        continue;
      }
      const blocks: AnthropicBlock[] = [...thinking];
      if (m.content) blocks.push({ type: "text", text: m.content });
      for (const call of m.toolCalls ?? []) blocks.push({ type: "tool_use", id: call.providerToolCallId ?? call.id, name: call.name, input: call.params });
      out.push({ role: "assistant", content: blocks });
    } else {
      const call = calls.get(m.callId!)!;
      if (!call.providerToolCallId) {
        out.push({ role: "user", content: m.content });
        continue;
      }
      const block: AnthropicBlock = { type: "tool_result", tool_use_id: call.providerToolCallId, content: m.content };
      if (m.meta?.is_error) block.is_error = true;
      const previous = out.at(-1);
      if (previous?.role === "user" && Array.isArray(previous.content) && previous.content[0]?.type === "tool_result") {
        previous.content.push(block);
      } else {
        out.push({ role: "user", content: [block] });
      }
    }
  }
  return { system: system.join("\n\n"), messages: out };
}

export function toAnthropicTools(tools: readonly ToolDef[] | null): Record<string, unknown>[] | undefined {
  if (!tools || tools.length === 0) return undefined;
  return tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
}

function marked(message: AnthropicMessage, marker: Record<string, string>): AnthropicMessage {
  if (typeof message.content === "string") return { ...message, content: [{ type: "text", text: message.content, cache_control: marker }] };
  // Thinking blocks cannot carry cache_control: the breakpoint goes on the last other block.
  const last = message.content.findLastIndex((b) => !THINKING_TYPES.has(b.type));
  if (last < 0) return message;
  const blocks = message.content.map((b) => ({ ...b }));
  blocks[last]!.cache_control = marker;
  return { ...message, content: blocks };
}

/**
 * Prompt-cache breakpoints: the system block, the last message's last block,
 * and the first message when a stable context head is present.
 */
export function applyCacheMarkers(
  system: string,
  messages: AnthropicMessage[],
  options: { ttl?: CacheTtl; markFirst: boolean },
): { system?: AnthropicBlock[]; messages: AnthropicMessage[] } {
  const marker: Record<string, string> = options.ttl ? { type: "ephemeral", ttl: options.ttl } : { type: "ephemeral" };
  const out = [...messages];
  if (out.length > 0) out[out.length - 1] = marked(out[out.length - 1]!, marker);
  if (options.markFirst && out.length > 1) out[0] = marked(out[0]!, marker);
  return { ...(system ? { system: [{ type: "text", text: system, cache_control: marker }] } : {}), messages: out };
}
