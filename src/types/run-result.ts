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
