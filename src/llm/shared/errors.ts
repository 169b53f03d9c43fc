/** The run-facing errors for transport failures, with the reference's messages. */
export class ProviderTimeoutError extends Error {
  override readonly name = "ProviderTimeoutError";
  constructor(providerClass: string, timeoutMs: number) {
    const seconds = timeoutMs / 1000;
    super(
      `LLM request timed out after ${Number.isInteger(seconds) ? `${seconds}.0` : seconds}s. The model may need more time for large outputs. ` +
        `Increase timeout: new ${providerClass}({ model, timeoutMs: 300_000 })`,
    );
  }
}

export class ProviderConnectionError extends Error {
  override readonly name = "ProviderConnectionError";
  constructor(api: string, model: string, cause: unknown, streaming = false) {
    super(`Connection to ${api} ${streaming ? "failed during streaming" : "failed"}. Model: ${model}. Original error: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** Maps an SDK's timeout/connection errors (timeout first: it subclasses the connection error). */
export function wrapTransportError(
  error: unknown,
  sdk: { APIConnectionTimeoutError: abstract new (...a: never[]) => Error; APIConnectionError: abstract new (...a: never[]) => Error },
  details: { providerClass: string; api: string; model: string; timeoutMs: number; streaming?: boolean },
): unknown {
  if (error instanceof sdk.APIConnectionTimeoutError) return new ProviderTimeoutError(details.providerClass, details.timeoutMs);
  if (error instanceof sdk.APIConnectionError && !(error as Error).name.includes("Abort")) {
    return new ProviderConnectionError(details.api, details.model, error, details.streaming);
  }
  return error;
}
