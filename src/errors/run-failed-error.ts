import { DendruxError } from "./dendrux-error.js";

/**
 * A run ended by an error that is not one of dendrux's own (a database
 * driver's, a custom loop's): the run is recorded `error`, and this carries its
 * id. The original error is `cause`; the message is the cause's.
 */
export class RunFailedError extends DendruxError {
  override readonly name = "RunFailedError";
  declare readonly runId: string;

  constructor({ runId, cause }: { runId: string; cause: unknown }) {
    super(cause instanceof Error ? cause.message : String(cause), { cause, runId });
  }
}
