import type { Kysely, SqlBool, Expression, RawBuilder } from "kysely";
import type { Database } from "../schema.js";

/**
 * Everything that differs between SQLite and PostgreSQL, as named
 * capabilities. Store code calls these and never asks which engine it is on.
 */
export interface StoreAdapter {
  readonly kind: "sqlite" | "postgres";
  /** A timestamp as the column wants it (SQLite text, PostgreSQL `Date`). */
  timestamp(date: Date): string | Date;
  /** A boolean as the column wants it. */
  bool(value: boolean): number | boolean;
  /** JSON text for a JSON column; `undefined` stays SQL NULL, `null` is the JSON literal `null`. */
  json(value: unknown): string | null;
  /** Parses what the driver returned for a JSON column. */
  readJson(value: unknown): unknown;
  readTimestamp(value: unknown): Date | null;
  readBool(value: unknown): boolean;
  /** `metadataFilter` as one SQL predicate (keys already validated). */
  metadataPredicate(filter: Readonly<Record<string, string | number | boolean>>): Expression<SqlBool>;
  /**
   * The adapter for this database as it is: the same queries, written for
   * what its schema offers (PostgreSQL: the `meta_thread_id` column where
   * migrations added it). Asked once, when a store opens.
   */
  forSchema(db: Kysely<Database>): Promise<StoreAdapter>;
  /** True for errors worth retrying: lock contention, dropped connections. */
  isTransient(error: unknown): boolean;
  /** True when the error is any unique or primary key violation. */
  isDuplicateKey(error: unknown): boolean;
  /** True when the error is the idempotency key's unique constraint. */
  isUniqueViolation(error: unknown): boolean;
  /**
   * Wraps an `INSERT INTO run_events … RETURNING sequence_index` so it also tells
   * other processes, in the same statement (PostgreSQL: `pg_notify`, delivered
   * at commit); unchanged where the engine has no such channel (SQLite).
   */
  notifyingEventInsert(insert: RawBuilder<{ sequence_index: number }>, runId: string): RawBuilder<{ sequence_index: number }>;
}

export interface StoreDialect {
  readonly kind: "sqlite" | "postgres";
  readonly adapter: StoreAdapter;
  createKysely(): Promise<Kysely<Database>>;
  /** Creates the schema if the engine allows it at runtime (SQLite), or checks it exists (PostgreSQL). */
  prepare(db: Kysely<Database>): Promise<void>;
  /**
   * Up to `connections` connections of their own for reads that can be slow
   * (lists, counts, whole threads), so those queue apart from per-run reads
   * and live streams and never block the event loop: on SQLite each is a
   * worker thread (better-sqlite3 runs a query on the calling thread), on
   * PostgreSQL a second pool. `null` for an in-memory database (nothing to
   * share) or when `connections` is 0. Use it only after `prepare`.
   */
  createSlowReadKysely(connections: number): Promise<Kysely<Database> | null>;
}
