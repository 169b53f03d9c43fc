import type { ZodType } from "zod";
import type { LLMProvider, ProviderCallOptions } from "../llm/provider.js";
import type { Strategy } from "../strategies/strategy.js";
import type { AnyTool } from "../tool/tool.js";
import type { AgentStep } from "../types/agent-step.js";
import type { Message } from "../types/message.js";
import type { RunEvent } from "../types/run-event.js";
import type { RunStatus } from "../types/run-status.js";
import type { ToolCall, ToolDef } from "../types/tool-call.js";
import type { UsageStats } from "../types/usage.js";
import type { BudgetLimits, LoopGuard, LoopHooks } from "./ports.js";

/** How a human decided a paused batch, recorded as `approval.decided` once the batch has run. */
export type ApprovalDecisions =
  /** One decision for the whole batch: one event `{decision, run_id}`. */
  | { readonly mode: "batch"; readonly decision: "approved" | "rejected" }
  /** A decision per call, in the batch's order: one event per call, with `call_id`. */
  | { readonly mode: "per_call"; readonly calls: readonly { readonly callId: string; readonly decision: "approved" | "rejected" }[] };

/**
 * A tool batch a pause interrupted. When the run resumes, the loop finishes it
 * through the same tool path as a fresh batch before it calls the model again.
 */
export interface PendingBatch {
  /** The iteration whose model response asked for these calls. */
  readonly iteration: number;
  /** The calls still to go through the batch, in the model's order. */
  readonly calls: readonly ToolCall[];
  /** Calls a human approved: the approval gate lets them through. */
  readonly approved: readonly string[];
  /** The approval this resume brought, if any. */
  readonly decisions: ApprovalDecisions | null;
}

/**
 * Everything a run carries between two iterations. Each field is rebuilt from
 * persisted data on resume (pause data, run events, run row), so a loop that
 * keeps its per-run state here can be resumed in another process.
 */
export interface RunState {
  /** The conversation the next LLM call builds on (system prompt excluded). */
  history: Message[];
  steps: AgentStep[];
  /** The last iteration that called the model; the next one is `iteration + 1`. */
  iteration: number;
  usage: UsageStats;
  /** Budget thresholds already emitted (`"0.5"`, …, `"exceeded"`): once per run. */
  budgetFired: string[];
  /** PII placeholder → real value (guardrails). */
  piiMapping: Record<string, string>;
  /** Set on resume when a tool batch was interrupted; the loop finishes it first and clears it. */
  pendingBatch: PendingBatch | null;
}

/** What an agent exposes to a loop. Frozen per agent. */
export interface LoopAgent {
  readonly name: string;
  readonly systemPrompt: string;
  readonly tools: ReadonlyMap<string, AnyTool>;
  /** Sorted by name, for cache-stable request prefixes. */
  readonly toolDefs: readonly ToolDef[];
  readonly deny: ReadonlySet<string>;
  readonly requireApproval: ReadonlySet<string>;
  readonly budget: BudgetLimits | null;
  readonly maxIterations: number;
}

export interface LoopContext {
  readonly runId: string;
  readonly agent: LoopAgent;
  readonly provider: LLMProvider;
  readonly strategy: Strategy;
  readonly state: RunState;
  readonly hooks: LoopHooks;
  readonly providerOptions: ProviderCallOptions;
  readonly cacheKeyPrefix: string | null;
  readonly outputType: ZodType | null;
  /** `true` under `agent.stream()`: call the provider's stream and yield deltas. */
  readonly streaming: boolean;
  /** Aborted when the run is cancelled or its caller aborts. */
  readonly signal: AbortSignal;
  /** Cooperative cancel: checked at the top of every iteration. */
  isCancelRequested(): Promise<boolean>;
  /** The run's guardrails, when the agent has any. */
  readonly guard: LoopGuard | null;
}

/** How a loop ended; the runner persists it and turns it into a `RunResult`. */
export interface LoopOutcome {
  readonly status: RunStatus;
  readonly answer: string | null;
  readonly output?: unknown;
  readonly iterationCount: number;
  readonly error?: string | null;
  /** Calls the run now waits on, with their targets. */
  readonly pending?: PendingCalls;
}

/** What a paused run waits on. */
export interface PendingCalls {
  readonly calls: readonly ToolCall[];
  /** Call id → `"server"`, `"client"` or `"human"`. */
  readonly targets: Readonly<Record<string, string>>;
  /** Pending calls a human already approved (kept across a later pause of the same batch). */
  readonly approved?: readonly string[];
}

/**
 * A turn cycle. The instance is shared by every run of an agent, so it must
 * keep per-run data in `ctx.state` only. Yields stream events; returns the
 * outcome. A loop that pauses on tool calls must finish `ctx.state.pendingBatch`
 * when it is entered with one (`runToolBatch` does both for a batch), or the
 * run fails with a clear error.
 */
export interface Loop {
  /** Stored as `dendrux.loop` in run metadata, e.g. `"ReActLoop"`. */
  readonly name: string;
  /** `false` for loops that never call tools (SingleCall). */
  readonly supportsTools: boolean;
  run(ctx: LoopContext): AsyncGenerator<RunEvent, LoopOutcome, undefined>;
}
