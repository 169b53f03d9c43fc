import { DendruxError } from "./dendrux-error.js";

/**
 * Bad input at a boundary: an `Agent` option, a `run` option, a submitted
 * payload or a query parameter. `field` names what was wrong; nothing was
 * persisted when this is thrown.
 */
export class ValidationError extends DendruxError {
  override readonly name = "ValidationError";
  readonly field: string;

  constructor({ field, message }: { field: string; message: string }) {
    super(message);
    this.field = field;
  }
}
