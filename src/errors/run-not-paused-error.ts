import type { RunStatus } from "../types/run-status.js";
import { DendruxError } from "./dendrux-error.js";

/** A submit or resume targeted a run that is not waiting for anything. */
export class RunNotPausedError extends DendruxError {
  override readonly name = "RunNotPausedError";
  declare readonly runId: string;
  readonly currentStatus: RunStatus;

  constructor({ runId, currentStatus }: { runId: string; currentStatus: RunStatus }) {
    super(`Run '${runId}' is not paused (current status: ${currentStatus}).`);
    this.runId = runId;
    this.currentStatus = currentStatus;
  }
}
