import type { ZodType } from "zod";
import type { Budget } from "../agent/budget.js";
import type { LLMProvider, ProviderCallOptions } from "../llm/provider.js";
import type { GuardEngine } from "../runtime/guard-engine.js";
import type { RunHooks } from "../runtime/run-hooks.js";
import type { Strategy } from "../strategies/strategy.js";
import type { AnyTool } from "../tool/tool.js";
import type { AgentStep } from "../types/agent-step.js";
import type { Message } from "../types/message.js";
import type { RunEvent } from "../types/run-event.js";
import type { RunStatus } from "../types/run-status.js";
import type { ToolCall, ToolDef } from "../types/tool-call.js";
import type { UsageStats } from "../types/usage.js";

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
  readonly budget: Budget | null;
  readonly maxIterations: number;
}

export interface LoopContext {
  readonly runId: string;
  readonly agent: LoopAgent;
  readonly provider: LLMProvider;
  readonly strategy: Strategy;
  readonly state: RunState;
  readonly hooks: RunHooks;
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
  readonly guard: GuardEngine | null;
}

/** How a loop ended; the runner persists it and turns it into a `RunResult`. */
export interface LoopOutcome {
  readonly status: RunStatus;
  readonly answer: string | null;
  readonly output?: unknown;
  readonly iterationCount: number;
  readonly error?: string | null;
  /** Calls the run now waits on, with their targets. */
  readonly pending?: { readonly calls: readonly ToolCall[]; readonly targets: Readonly<Record<string, string>> };
}

/**
 * A turn cycle. The instance is shared by every run of an agent, so it must
 * keep per-run data in `ctx.state` only. Yields stream events; returns the
 * outcome.
 */
export interface Loop {
  /** Stored as `dendrux.loop` in run metadata, e.g. `"ReActLoop"`. */
  readonly name: string;
  /** `false` for loops that never call tools (SingleCall). */
  readonly supportsTools: boolean;
  run(ctx: LoopContext): AsyncGenerator<RunEvent, LoopOutcome, undefined>;
}
