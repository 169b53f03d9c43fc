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

/** The key on an assistant `Message.meta` holding its thinking blocks, verbatim. */
export const THINKING_BLOCKS_KEY = "anthropic_thinking_blocks";

export interface MappedContent {
  readonly text: string | null;
  readonly toolCalls: ToolCall[] | null;
  readonly reasoning: string | null;
  /** `{ anthropic_thinking_blocks }` when the turn had thinking or redacted_thinking blocks. */
  readonly assistantMeta?: Readonly<Record<string, unknown>>;
}

/**
 * Text blocks joined, tool_use blocks as calls with fresh dendrux ids, thinking
 * text as reasoning. Thinking and redacted_thinking blocks are also kept whole
 * (signature included): Anthropic requires them back unchanged on the next
 * turn of a tool loop.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks
 */
export function mapAnthropicContent(content: readonly Record<string, unknown>[]): MappedContent {
  let text = "";
  let hasText = false;
  let reasoning = "";
  const calls: ToolCall[] = [];
  const thinkingBlocks: Record<string, unknown>[] = [];
  for (const block of content) {
    if (block.type === "thinking" || block.type === "redacted_thinking") thinkingBlocks.push({ ...block });
    if (block.type === "text") {
      text += String(block.text ?? "");
      hasText = true;
    } else if (block.type === "tool_use") {
      calls.push({ id: newId(), name: String(block.name), params: (block.input as Record<string, unknown>) ?? {}, providerToolCallId: String(block.id) });
    } else if (block.type === "thinking" && block.thinking) {
      reasoning += String(block.thinking);
    }
  }
  return {
    text: hasText ? text : null,
    toolCalls: calls.length > 0 ? calls : null,
    reasoning: reasoning || null,
    ...(thinkingBlocks.length > 0 ? { assistantMeta: { [THINKING_BLOCKS_KEY]: thinkingBlocks } } : {}),
  };
}
