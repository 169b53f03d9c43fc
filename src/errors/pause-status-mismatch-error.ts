import type { RunStatus } from "../types/run-status.js";
import { DendruxError } from "./dendrux-error.js";

/** The run is paused, but for something else than this method answers. */
export class PauseStatusMismatchError extends DendruxError {
  override readonly name = "PauseStatusMismatchError";
  declare readonly runId: string;
  readonly currentStatus: RunStatus;
  readonly expectedStatus: RunStatus;

  constructor({ runId, currentStatus, expectedStatus }: { runId: string; currentStatus: RunStatus; expectedStatus: RunStatus }) {
    super(`Run '${runId}' is ${currentStatus}, but this method requires ${expectedStatus}.`);
    this.runId = runId;
    this.currentStatus = currentStatus;
    this.expectedStatus = expectedStatus;
  }
}
