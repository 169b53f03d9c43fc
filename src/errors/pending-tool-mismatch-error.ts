import { DendruxError } from "./dendrux-error.js";

/**
 * The agent asked to resume a run lacks a tool the run is waiting on, or has
 * it with another target. Nothing was changed: the run stays paused for an
 * agent that has the tool.
 */
export class PendingToolMismatchError extends DendruxError {
  override readonly name = "PendingToolMismatchError";
  declare readonly runId: string;
  readonly toolName: string;
  /** The target the run paused with (`"server"`, `"client"` or `"human"`). */
  readonly expectedTarget: string;
  /** The resuming agent's target for the tool; `null` when it has no such tool. */
  readonly actualTarget: string | null;

  constructor({ runId, agentName, toolName, expectedTarget, actualTarget }: {
    runId: string;
    agentName: string;
    toolName: string;
    expectedTarget: string;
    actualTarget: string | null;
  }) {
    const why = actualTarget === null ? "has no such tool" : `has it with target '${actualTarget}'`;
    super(
      `Agent '${agentName}' cannot resume run '${runId}': the run waits on tool '${toolName}' (target '${expectedTarget}'), but this agent ${why}.`,
      { runId },
    );
    this.toolName = toolName;
    this.expectedTarget = expectedTarget;
    this.actualTarget = actualTarget;
  }
}
