import { DendruxError } from "./dendrux-error.js";

/** Submitted tool results do not answer exactly the pending calls. */
export class InvalidToolResultError extends DendruxError {
  override readonly name = "InvalidToolResultError";
  declare readonly runId: string;
  readonly detail: string;

  constructor({ runId, detail }: { runId: string; detail: string }) {
    super(`Invalid tool results for run '${runId}': ${detail}`);
    this.runId = runId;
    this.detail = detail;
  }
}
