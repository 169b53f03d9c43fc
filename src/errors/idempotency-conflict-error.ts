import { DendruxError } from "./dendrux-error.js";

/** The idempotency key was already used for a different request. */
export class IdempotencyConflictError extends DendruxError {
  override readonly name = "IdempotencyConflictError";
  declare readonly runId: string;
  readonly idempotencyKey: string;

  constructor({ runId, idempotencyKey }: { runId: string; idempotencyKey: string }) {
    super(
      `Idempotency key '${idempotencyKey}' already used for run ${runId} with different input. ` +
        "Keys must not be reused across different requests.",
    );
    this.runId = runId;
    this.idempotencyKey = idempotencyKey;
  }
}
