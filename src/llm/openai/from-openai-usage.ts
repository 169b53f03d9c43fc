import type { WireJson } from "../shared/wire-json.js";
import type { UsageStats } from "../../types/usage.js";
import { emptyUsage } from "../../types/usage.js";

/**
 * Usage with fresh input only: cached prompt tokens are moved to
 * `cacheReadInputTokens`; totals are recomputed (cache tokens excluded).
 * Works for Chat Completions (`prompt_tokens`) and Responses (`input_tokens`).
 */
export function mapOpenAIUsage(usage: WireJson | null | undefined): UsageStats {
  if (!usage) return emptyUsage();
  const prompt = usage.prompt_tokens ?? usage.input_tokens ?? 0;
  const completion = usage.completion_tokens ?? usage.output_tokens ?? 0;
  const inputDetails = usage.prompt_tokens_details ?? usage.input_tokens_details;
  const outputDetails = usage.completion_tokens_details ?? usage.output_tokens_details;
  const cached = typeof inputDetails?.cached_tokens === "number" ? inputDetails.cached_tokens : null;
  const input = Math.max(0, prompt - (cached ?? 0));
  return {
    inputTokens: input,
    outputTokens: completion,
    totalTokens: input + completion,
    costUsd: null,
    cacheReadInputTokens: cached,
    cacheCreationInputTokens: null,
    reasoningTokens: typeof outputDetails?.reasoning_tokens === "number" ? outputDetails.reasoning_tokens : null,
  };
}
