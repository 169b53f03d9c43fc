import type { ToolCall } from "../../types/tool-call.js";
import type { UsageStats } from "../../types/usage.js";
import { newId } from "../../util/ulid.js";

/** @see https://docs.anthropic.com/en/api/messages#response-usage */
export function mapAnthropicUsage(usage: Record<string, unknown> | null | undefined): UsageStats {
  const u = usage ?? {};
  const num = (v: unknown) => (typeof v === "number" ? v : null);
  const input = num(u.input_tokens) ?? 0;
  const output = num(u.output_tokens) ?? 0;
  const details = u.output_tokens_details as Record<string, unknown> | undefined;
  return {
    inputTokens: input,
    outputTokens: output,
    totalTokens: input + output,
    costUsd: null,
    cacheReadInputTokens: num(u.cache_read_input_tokens),
    cacheCreationInputTokens: num(u.cache_creation_input_tokens),
    reasoningTokens: num(details?.thinking_tokens),
  };
}

export interface MappedContent {
  readonly text: string | null;
  readonly toolCalls: ToolCall[] | null;
  readonly reasoning: string | null;
}

/** Text blocks joined, tool_use blocks as calls with fresh dendrux ids, thinking text as reasoning. */
export function mapAnthropicContent(content: readonly Record<string, unknown>[]): MappedContent {
  let text = "";
  let hasText = false;
  let reasoning = "";
  const calls: ToolCall[] = [];
  for (const block of content) {
    if (block.type === "text") {
      text += String(block.text ?? "");
      hasText = true;
    } else if (block.type === "tool_use") {
      calls.push({ id: newId(), name: String(block.name), params: (block.input as Record<string, unknown>) ?? {}, providerToolCallId: String(block.id) });
    } else if (block.type === "thinking" && block.thinking) {
      reasoning += String(block.thinking);
    }
  }
  return { text: hasText ? text : null, toolCalls: calls.length > 0 ? calls : null, reasoning: reasoning || null };
}
