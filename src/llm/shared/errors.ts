import { ProviderConnectionError, ProviderTimeoutError } from "../../errors/provider-error.js";

export { ProviderConnectionError, ProviderTimeoutError };

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
