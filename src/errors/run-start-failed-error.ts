import { DendruxError } from "./dendrux-error.js";

/**
 * The run could not be started or resumed because the database refused to
 * record it (its row, its first event, the resume's claim). No tool started
 * and nothing was written; a new run's first model call may have been made
 * (its row is committed with its first step, unless `recordWithinMs` is 0).
 * The driver's error is `cause`.
 */
export class RunStartFailedError extends DendruxError {
  override readonly name = "RunStartFailedError";
  declare readonly runId: string;

  constructor({ runId, cause }: { runId: string; cause: unknown }) {
    super(`Run ${runId} could not be recorded, so it did not start: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, runId });
  }
}
