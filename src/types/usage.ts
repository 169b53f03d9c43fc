/**
 * Token usage of one LLM call or, summed, of a run. `null` means the provider
 * did not report the figure; `0` means it reported zero.
 */
export interface UsageStats {
  /** Fresh (uncached) input tokens. */
  inputTokens: number;
  /** Generated tokens, reasoning included. */
  outputTokens: number;
  /** As reported per call; input + output for the built-in providers (cache tokens excluded). */
  totalTokens: number;
  costUsd: number | null;
  cacheReadInputTokens: number | null;
  cacheCreationInputTokens: number | null;
  reasoningTokens: number | null;
}

export function emptyUsage(): UsageStats {
  return {
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    costUsd: null,
    cacheReadInputTokens: null,
    cacheCreationInputTokens: null,
    reasoningTokens: null,
  };
}

function addNullable(a: number | null, b: number | null): number | null {
  if (b === null || b === undefined) return a;
  return (a ?? 0) + b;
}

/** Adds `call` into `total`: counters sum, nullable fields stay null until some call reports them. */
export function addUsage(total: UsageStats, call: UsageStats): UsageStats {
  return {
    inputTokens: total.inputTokens + call.inputTokens,
    outputTokens: total.outputTokens + call.outputTokens,
    totalTokens: total.totalTokens + call.totalTokens,
    costUsd: addNullable(total.costUsd, call.costUsd),
    cacheReadInputTokens: addNullable(total.cacheReadInputTokens, call.cacheReadInputTokens),
    cacheCreationInputTokens: addNullable(total.cacheCreationInputTokens, call.cacheCreationInputTokens),
    reasoningTokens: addNullable(total.reasoningTokens, call.reasoningTokens),
  };
}
