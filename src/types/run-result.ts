import type { AgentStep } from "./agent-step.js";
import type { RunStatus } from "./run-status.js";
import type { ToolCall } from "./tool-call.js";
import type { UsageStats } from "./usage.js";

/** What `agent.run()` (and every resume-style call) returns. */
export interface RunResult<TOutput = unknown> {
  readonly runId: string;
  readonly status: RunStatus;
  /** Final text on success; the question on `waiting_human_input`; otherwise null. */
  readonly answer: string | null;
  /** The validated structured output (SingleCall with `outputType`). */
  readonly output?: TOutput;
  /**
   * The model's reasoning text behind this result — extended thinking or a
   * reasoning summary — from the run's last LLM call, when the provider
   * returns one (Anthropic with `thinking`, OpenAI Responses with
   * `showThinking`). The one place a SingleCall run's reasoning is; a ReAct
   * run also has each call's on `steps[i].meta.reasoning`. Absent on results
   * rebuilt from the database; every call's reasoning is stored with it
   * (`RunStore.getLlmCalls`).
   */
  readonly reasoning?: string;
  readonly error: string | null;
  readonly iterationCount: number;
  readonly usage: UsageStats;
  /** The calls the run waits on, when paused for a client tool or an approval. */
  readonly pendingToolCalls?: readonly ToolCall[];
  /**
   * The model's steps, oldest first (every one of the run, pauses included);
   * absent on results rebuilt from the database (a cancel, an idempotent hit).
   */
  readonly steps?: readonly AgentStep[];
  /** Notifier hooks that threw during the run (`"<hook> failed at iteration N"`). */
  readonly warnings: readonly string[];
}
