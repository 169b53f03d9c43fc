import { ValidationError } from "../errors/validation-error.js";
import type { SweepResult } from "../store/sweeper.js";

export interface SweepOptions {
  /** Falls back to `DENDRUX_DATABASE_URL`. */
  readonly databaseUrl?: string;
  /** `running` runs without progress for this long are finalized `error` (`stale_running` / `never_started`). */
  readonly staleRunningMs?: number;
  /** Paused runs untouched for this long are finalized `error` (`abandoned_waiting`). */
  readonly abandonedWaitingMs?: number;
}

function threshold(name: string, value: number | undefined): number | null {
  if (value === undefined || value === null || value === 0) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ValidationError({ field: name, message: `${name} must be a non-negative number of milliseconds, got ${String(value)}.` });
  }
  return value;
}

/**
 * Finalizes runs nobody will finish: a crashed process's `running` rows and
 * pauses nobody answered. Not scheduled by the library — call it from a cron
 * or a timer. A threshold of 0 or none disables that half.
 *
 * @example
 * await sweep({ databaseUrl, staleRunningMs: 15 * 60_000, abandonedWaitingMs: 7 * 86_400_000 });
 */
export async function sweep(options: SweepOptions): Promise<SweepResult> {
  const stale = threshold("staleRunningMs", options.staleRunningMs);
  const abandoned = threshold("abandonedWaitingMs", options.abandonedWaitingMs);
  const url = options.databaseUrl ?? process.env.DENDRUX_DATABASE_URL;
  if (!url) throw new ValidationError({ field: "databaseUrl", message: "sweep needs databaseUrl (or DENDRUX_DATABASE_URL)." });
  if (stale === null && abandoned === null) return { staleRunning: [], abandonedWaiting: [] };
  const [{ parseDatabaseUrl }, { createDialect }, { sweepDatabase }] = await Promise.all([
    import("../store/database-url.js"),
    import("../store/dialect/create-dialect.js"),
    import("../store/sweeper.js"),
  ]);
  const dialect = createDialect(parseDatabaseUrl(url));
  const db = await dialect.createKysely();
  try {
    await dialect.prepare(db);
    const now = new Date();
    return await sweepDatabase(db, dialect.adapter, {
      now,
      staleCutoff: stale === null ? null : new Date(now.getTime() - stale),
      abandonedCutoff: abandoned === null ? null : new Date(now.getTime() - abandoned),
    });
  } finally {
    await db.destroy();
  }
}
