import type { RunStatus } from "../types/run-status.js";

/** One row of `listRuns`. Fields are the reference's, camelCased, in its order. */
export interface RunSummary {
  readonly runId: string;
  readonly agentName: string;
  readonly status: RunStatus;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  readonly iterationCount: number;
  readonly totalInputTokens: number;
  readonly totalOutputTokens: number;
  readonly totalCacheReadTokens: number;
  readonly totalCacheCreationTokens: number;
  /** 6 decimals; `null` when no call reported a cost. */
  readonly totalCostUsd: number | null;
  readonly model: string | null;
  readonly parentRunId: string | null;
  readonly delegationLevel: number;
  readonly totalReasoningTokens: number;
  /** The `metadata` given to `run()` (dendrux's own `dendrux.*` bookkeeping keys left out). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** One run in full (`getRun`). */
export interface RunDetail extends RunSummary {
  readonly strategy: string | null;
  /** `{"input": "<user text>"}` as written by the runtime. */
  readonly inputData: unknown;
  readonly answer: string | null;
  readonly error: string | null;
  readonly failureReason: string | null;
  readonly tenantId: string | null;
}

/** One `run_events` row. */
export interface StoredEvent {
  readonly sequenceIndex: number;
  readonly iterationIndex: number;
  readonly eventType: string;
  readonly correlationId: string | null;
  readonly data: unknown;
  readonly createdAt: Date | null;
  /** The row id (a ULID). */
  readonly id: string;
}

/** One LLM call (`llm_interactions`). */
export interface LLMCall {
  readonly id: string;
  readonly iteration: number;
  readonly provider: string | null;
  readonly model: string | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  readonly cacheReadInputTokens: number | null;
  readonly cacheCreationInputTokens: number | null;
  readonly costUsd: number | null;
  readonly durationMs: number | null;
  readonly providerRequest: unknown;
  readonly providerResponse: unknown;
  readonly createdAt: Date | null;
  readonly reasoningTokens: number | null;
  readonly reasoning: string | null;
  /** What the runtime asked, provider-neutral: `{messages, tools}`. */
  readonly semanticRequest: unknown;
  /** What the model answered, provider-neutral: `{text?, tool_calls?, reasoning?, usage}` or `null`. */
  readonly semanticResponse: unknown;
}

/** One completed tool call (`tool_calls`). */
export interface ToolInvocation {
  readonly iteration: number;
  readonly toolName: string;
  readonly toolCallId: string;
  readonly providerToolCallId: string | null;
  readonly target: string;
  readonly params: unknown;
  readonly result: unknown;
  readonly success: boolean;
  readonly error: string | null;
  readonly durationMs: number | null;
  readonly createdAt: Date | null;
  /** The row id (a ULID). */
  readonly id: string;
}

/** One conversation message (`react_traces`). */
export interface TraceEntry {
  readonly role: string;
  readonly content: string;
  readonly orderIndex: number;
  readonly meta: unknown;
  readonly createdAt: Date | null;
  /** The row id (a ULID). */
  readonly id: string;
}

/** A pause and the resume that ended it (or `null`s while it is still waiting). */
export interface PausePair {
  readonly pauseSequenceIndex: number;
  readonly pauseAt: Date | null;
  readonly resumeSequenceIndex: number | null;
  readonly resumeAt: Date | null;
  readonly reason: string;
  readonly pendingToolCalls: unknown[];
  readonly submittedResults: unknown[];
  readonly userInput: unknown;
}

/** One turn of a chat thread: a run with what the user said and what the agent answered. */
export interface ThreadTurn extends RunSummary {
  /** The user input as stored (redacted when guardrails redact), or real values with `deanonymize`. */
  readonly input: string | null;
  readonly answer: string | null;
  readonly error: string | null;
}

/** A thread's rollup, aggregated in SQL. */
export interface ThreadSummary {
  readonly threadId: string;
  readonly turns: number;
  /** Runs per status; statuses without runs are left out. */
  readonly statuses: Readonly<Partial<Record<RunStatus, number>>>;
  readonly totalInputTokens: number;
  readonly totalOutputTokens: number;
  readonly totalTokens: number;
  readonly totalCacheReadTokens: number;
  readonly totalCacheCreationTokens: number;
  readonly totalReasoningTokens: number;
  /** 6 decimals; `null` when no run reported a cost. */
  readonly totalCostUsd: number | null;
  /** When the first turn started; `null` for an empty thread. */
  readonly firstActivityAt: Date | null;
  /** The latest update of any turn; `null` for an empty thread. */
  readonly lastActivityAt: Date | null;
}
