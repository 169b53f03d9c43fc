import { DendruxError } from "./dendrux-error.js";

/** The run id does not exist in the configured database. */
export class RunNotFoundError extends DendruxError {
  override readonly name = "RunNotFoundError";
  declare readonly runId: string;

  constructor({ runId }: { runId: string }) {
    super(`Run '${runId}' not found.`);
    this.runId = runId;
  }
}
