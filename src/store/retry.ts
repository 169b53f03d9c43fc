import { logger } from "../util/logger.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";

const DELAYS_MS = [100, 200, 400];

/**
 * Fail-closed writes: retried on transient database errors (locks, dropped
 * connections) with 100/200/400 ms backoff, then the last error propagates.
 * Anything else propagates at once.
 */
export async function retryTransient<T>(adapter: StoreAdapter, label: string, runId: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const delay = DELAYS_MS[attempt];
      if (delay === undefined || !adapter.isTransient(error)) throw error;
      logger.warn(`Transient DB failure ${attempt + 1}/${DELAYS_MS.length} for ${label} (run ${runId}) — retrying in ${(delay / 1000).toFixed(1)}s`, error);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Best-effort writes: one attempt; a failure is logged and swallowed, never fatal to the run. */
export async function bestEffort(label: string, runId: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    logger.warn(`Failed to ${label} for run ${runId}`, error);
  }
}
