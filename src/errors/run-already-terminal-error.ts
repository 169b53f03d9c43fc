import type { RunStatus } from "../types/run-status.js";
import { DendruxError } from "./dendrux-error.js";

function describe(runId: string, currentStatus: RunStatus, failureReason: string | null): string {
  if (failureReason === "abandoned_waiting") return `Run '${runId}' was abandoned (swept as expired waiting run). It cannot be resumed.`;
  if (failureReason === "stale_running" || failureReason === "never_started") {
    return `Run '${runId}' was swept as stale (${failureReason}). It cannot be resumed.`;
  }
  return `Run '${runId}' is already terminal (${currentStatus}); cannot resume.`;
}

/** The run has finished (or a cancel is pending); it cannot be resumed. */
export class RunAlreadyTerminalError extends DendruxError {
  override readonly name = "RunAlreadyTerminalError";
  declare readonly runId: string;
  readonly currentStatus: RunStatus;
  /** Set when a sweep ended the run: `stale_running`, `never_started` or `abandoned_waiting`. */
  readonly failureReason: string | null;

  constructor({ runId, currentStatus, failureReason = null }: { runId: string; currentStatus: RunStatus; failureReason?: string | null }) {
    super(describe(runId, currentStatus, failureReason));
    this.runId = runId;
    this.currentStatus = currentStatus;
    this.failureReason = failureReason;
  }
}
