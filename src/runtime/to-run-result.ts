import type { LoopOutcome, RunState } from "../loops/loop.js";
import type { RunResult } from "../types/run-result.js";
import type { RunStatus } from "../types/run-status.js";
import { emptyUsage } from "../types/usage.js";

export function toRunResult(runId: string, outcome: LoopOutcome, state: RunState, warnings: readonly string[], reasoning: string | null = null): RunResult {
  return {
    runId,
    status: outcome.status,
    answer: outcome.answer,
    ...(outcome.output !== undefined ? { output: outcome.output } : {}),
    error: outcome.error ?? null,
    iterationCount: outcome.iterationCount,
    usage: { ...state.usage },
    ...(outcome.pending && outcome.pending.calls.length > 0 ? { pendingToolCalls: outcome.pending.calls } : {}),
    steps: [...state.steps],
    ...(reasoning !== null ? { reasoning } : {}),
    warnings,
  };
}

/** A result that carries only a status (cancelled streams, failures). */
export function bareRunResult(runId: string, status: RunStatus, error: string | null = null, warnings: readonly string[] = []): RunResult {
  return { runId, status, answer: null, error, iterationCount: 0, usage: emptyUsage(), warnings };
}
