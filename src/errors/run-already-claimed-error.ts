import { DendruxError } from "./dendrux-error.js";

/** Another submit won the claim on this paused run first. */
export class RunAlreadyClaimedError extends DendruxError {
  override readonly name = "RunAlreadyClaimedError";
  declare readonly runId: string;

  constructor({ runId }: { runId: string }) {
    super(`Run '${runId}' was claimed by another submit. Poll for completion instead.`);
    this.runId = runId;
  }
}
