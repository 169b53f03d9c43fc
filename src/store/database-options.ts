import { ValidationError } from "../errors/validation-error.js";
import { isPlainObject } from "../util/is-plain-object.js";

/**
 * How a connection pool is opened. Each option applies to one engine and is
 * ignored by the other, so one configuration serves SQLite in development and
 * PostgreSQL in production.
 */
export interface DatabaseOptions {
  /** PostgreSQL: the most connections the pool holds open at once. @default 10 */
  readonly poolMax?: number;
  /** PostgreSQL: the server cancels any statement running longer (`statement_timeout`); 0 = no limit. @default 0 */
  readonly statementTimeoutMs?: number;
  /** PostgreSQL: an idle connection is closed after this long; 0 = never. @default 10_000 */
  readonly idleTimeoutMs?: number;
  /** PostgreSQL: how long to wait for a connection (a new one, or a free one from a full pool) before failing; 0 = no limit. @default 0 */
  readonly connectionTimeoutMs?: number;
  /** PostgreSQL: `application_name`, shown in `pg_stat_activity`. */
  readonly applicationName?: string;
  /** SQLite: how long a write waits for another process's lock before failing. @default 5_000 */
  readonly busyTimeoutMs?: number;
}

const COUNTS = {
  poolMax: { min: 1 },
  statementTimeoutMs: { min: 0 },
  idleTimeoutMs: { min: 0 },
  connectionTimeoutMs: { min: 0 },
  busyTimeoutMs: { min: 0 },
} as const;

/**
 * Checks `databaseOptions` (unknown keys included, so a misspelt or Python-style
 * `pool_size` is named) and returns a frozen copy.
 */
export function validateDatabaseOptions(value: unknown, field = "databaseOptions"): DatabaseOptions {
  if (!isPlainObject(value)) throw new ValidationError({ field, message: `${field} must be an object such as { poolMax: 20, statementTimeoutMs: 30_000 }.` });
  for (const [key, option] of Object.entries(value)) {
    if (option === undefined) continue;
    if (key === "applicationName") {
      if (typeof option !== "string" || option.length === 0 || option.length > 63) {
        throw new ValidationError({ field: `${field}.${key}`, message: `${field}.${key} must be a string of 1 to 63 characters.` });
      }
      continue;
    }
    const rule = COUNTS[key as keyof typeof COUNTS];
    if (!rule) {
      const known = [...Object.keys(COUNTS), "applicationName"].join(", ");
      throw new ValidationError({ field: `${field}.${key}`, message: `Unknown ${field} key '${key}'. Known keys: ${known}.` });
    }
    if (typeof option !== "number" || !Number.isInteger(option) || option < rule.min) {
      throw new ValidationError({ field: `${field}.${key}`, message: `${field}.${key} must be an integer ≥ ${rule.min}, got ${String(option)}.` });
    }
  }
  return Object.freeze({ ...value }) as DatabaseOptions;
}
