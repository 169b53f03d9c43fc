import type { RunStatus } from "../types/run-status.js";
import { DendruxError } from "./dendrux-error.js";

/** The idempotency key belongs to a run that is still running or paused. */
export class RunAlreadyActiveError extends DendruxError {
  override readonly name = "RunAlreadyActiveError";
  declare readonly runId: string;
  readonly currentStatus: RunStatus;

  constructor({ runId, currentStatus }: { runId: string; currentStatus: RunStatus }) {
    super(`Run ${runId} is already ${currentStatus}. Use agent.resume() or wait for completion.`);
    this.runId = runId;
    this.currentStatus = currentStatus;
  }
}
