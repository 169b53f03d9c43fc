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
  /**
   * The run this error ended, when it was thrown by a run (`agent.run()`, a
   * submit, a resume); `undefined` for errors raised before a run existed.
   */
  readonly runId: string | undefined;

  constructor(message: string, options?: { cause?: unknown; runId?: string }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.runId = options?.runId;
  }

  /** @internal Records which run the error ended (once; an error thrown by a run keeps its first run). */
  static attachRun<E extends DendruxError>(error: E, runId: string): E {
    if (error.runId === undefined) Object.defineProperty(error, "runId", { value: runId, enumerable: true });
    return error;
  }

  static isInstance(error: unknown): error is DendruxError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
