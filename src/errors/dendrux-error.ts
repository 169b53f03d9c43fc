const MARKER = Symbol.for("dendrux.error");

/**
 * Base class of every error dendrux throws on purpose.
 *
 * `DendruxError.isInstance(e)` works across duplicate installs of the package,
 * where `instanceof` would not.
 */
export class DendruxError extends Error {
  override readonly name: string = "DendruxError";
  readonly [MARKER] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  static isInstance(error: unknown): error is DendruxError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
