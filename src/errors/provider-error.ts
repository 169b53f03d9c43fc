import { DendruxError } from "./dendrux-error.js";

/**
 * The model provider failed, or answered with something the run cannot use
 * (a stream without its final response, tool calls where none are allowed).
 * An error the vendor SDK raised is kept as `cause`, with its message.
 */
export class ProviderError extends DendruxError {
  override readonly name: string = "ProviderError";
  /** The HTTP status the vendor answered with, when there was one. */
  readonly status: number | null;

  constructor(message: string, options: { cause?: unknown; status?: number | null; runId?: string } = {}) {
    super(message, options);
    this.status = options.status ?? null;
  }

  /** Wraps anything a provider threw; a `DendruxError` passes through unchanged. */
  static from(error: unknown): DendruxError {
    if (DendruxError.isInstance(error)) return error;
    const status = typeof (error as { status?: unknown })?.status === "number" ? (error as { status: number }).status : null;
    return new ProviderError(error instanceof Error ? error.message : String(error), { cause: error, status });
  }
}

/** The vendor did not answer within the provider's `timeoutMs`. */
export class ProviderTimeoutError extends ProviderError {
  override readonly name = "ProviderTimeoutError";
  constructor(providerClass: string, timeoutMs: number) {
    const seconds = timeoutMs / 1000;
    super(
      `LLM request timed out after ${Number.isInteger(seconds) ? `${seconds}.0` : seconds}s. The model may need more time for large outputs. ` +
        `Increase timeout: new ${providerClass}({ model, timeoutMs: 300_000 })`,
    );
  }
}

/** The vendor could not be reached (DNS, refused connection, dropped stream). */
export class ProviderConnectionError extends ProviderError {
  override readonly name = "ProviderConnectionError";
  constructor(api: string, model: string, cause: unknown, streaming = false) {
    super(`Connection to ${api} ${streaming ? "failed during streaming" : "failed"}. Model: ${model}. Original error: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}
