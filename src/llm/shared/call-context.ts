import { AsyncLocalStorage } from "node:async_hooks";

/** What a provider call knows about the run it serves, for `provider.retry` telemetry. */
export interface ProviderCallContext {
  readonly runId: string;
  readonly iteration: number;
  /** Records and notifies a governance event; failures are the caller's to swallow. */
  emit(eventType: string, data: Record<string, unknown>): Promise<void>;
}

interface Scope extends ProviderCallContext {
  attempts: number;
}

const storage = new AsyncLocalStorage<Scope>();

/** A fresh telemetry scope for one logical provider call (attempts count from 1 within it). */
export function providerCallScope(context: ProviderCallContext): <T>(fn: () => T) => T {
  const scope: Scope = { ...context, attempts: 0 };
  return (fn) => storage.run(scope, fn);
}

const RETRY_STATUSES = new Set([408, 409, 429, 500, 502, 503, 504, 529]);

/**
 * Wraps `fetch` so every retryable-status response (including the last,
 * failing attempt) is reported as `provider.retry` before the SDK decides.
 * Telemetry never breaks a call: its failures are swallowed.
 */
export function retryTelemetryFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    const scope = storage.getStore();
    if (scope && RETRY_STATUSES.has(response.status)) {
      scope.attempts += 1;
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      let endpoint: string | null = null;
      try {
        endpoint = new URL(url).pathname;
      } catch {
        endpoint = null;
      }
      const data = { status_code: response.status, endpoint, attempt: scope.attempts, retry_after: response.headers.get("retry-after") };
      await scope.emit("provider.retry", data).catch(() => undefined);
    }
    return response;
  };
}
