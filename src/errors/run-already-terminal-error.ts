import type { RunStatus } from "../types/run-status.js";
import { DendruxError } from "./dendrux-error.js";

/** The run has finished (or a cancel is pending); it cannot be resumed. */
export class RunAlreadyTerminalError extends DendruxError {
  override readonly name = "RunAlreadyTerminalError";
  readonly runId: string;
  readonly currentStatus: RunStatus;

  constructor({ runId, currentStatus }: { runId: string; currentStatus: RunStatus }) {
    super(`Run '${runId}' is already terminal (${currentStatus}); cannot resume.`);
    this.runId = runId;
    this.currentStatus = currentStatus;
  }
}
