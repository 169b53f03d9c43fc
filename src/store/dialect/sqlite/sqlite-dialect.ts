import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type Expression, Kysely, type SqlBool, SqliteDialect, sql } from "kysely";
import { SchemaNotInitializedError } from "../../../errors/schema-not-initialized-error.js";
import { DatabaseNotFoundError } from "../../../errors/database-not-found-error.js";
import type { Database } from "../../schema.js";
import type { DatabaseOptions } from "../../database-options.js";
import { SQLITE_EXTRA_INDEXES, SQLITE_SCHEMA } from "../../migrations/sqlite-schema.js";
import { jsonText } from "../json-values.js";
import { parseTimestampText } from "../../precise-time.js";
import type { StoreAdapter, StoreDialect } from "../store-dialect.js";
import { applySchemaAdditions } from "../../migrate.js";
import { SqliteReadPoolDialect } from "./sqlite-read-pool.js";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `YYYY-MM-DD HH:MM:SS.ffffff` in UTC: the reference's text form; compares correctly as text. */
export function formatSqliteTimestamp(date: Date): string {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}000`
  );
}

export function parseSqliteTimestamp(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  return parseTimestampText(String(value));
}

/** The subset of better-sqlite3 we use, so the type stays a structural one. */
interface SqliteDatabase {
  pragma(source: string): unknown;
  prepare(source: string): unknown;
  close(): void;
}

/** A better-sqlite3 statement, as the store's synchronous paths use it. */
export interface SqliteStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
}

/** The better-sqlite3 connection behind a Kysely instance this dialect created. */
export interface SqliteHandle {
  prepare(source: string): SqliteStatement;
  transaction<T>(fn: () => T): { immediate(): T };
}

const handles = new WeakMap<Kysely<Database>, SqliteHandle>();

/**
 * The connection under `db` when this dialect opened it, so a step's commit can
 * run as one synchronous transaction (better-sqlite3 is synchronous anyway)
 * while holding Kysely's connection lock; `undefined` for a Kysely the store
 * was handed.
 */
export function sqliteHandleOf(db: Kysely<Database>): SqliteHandle | undefined {
  return handles.get(db);
}

const CACHED_STATEMENTS = 256;

/**
 * Keeps prepared statements by their SQL text, so a query Kysely sends again
 * (every step of every run sends the same few) is compiled by SQLite once.
 * Safe because Kysely runs one query at a time on a connection.
 */
function cacheStatements(database: SqliteDatabase): void {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, unknown>();
  database.prepare = (source) => {
    let statement = cache.get(source);
    if (statement === undefined) {
      statement = prepare(source);
      if (cache.size >= CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
      cache.set(source, statement);
    }
    return statement;
  };
}

export const sqliteAdapter: StoreAdapter = {
  kind: "sqlite",
  timestamp: formatSqliteTimestamp,
  bool: (value) => (value ? 1 : 0),
  json: jsonText,
  readJson(value) {
    if (value === null || value === undefined) return null;
    // NUMERIC affinity: a scalar JSON number comes back as a number.
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  },
  readTimestamp: parseSqliteTimestamp,
  readBool: (value) => value === 1 || value === true || value === "1",
  metadataPredicate(filter): Expression<SqlBool> {
    const parts = Object.entries(filter).map(([key, value]) => {
      // Keys are validated (^[A-Za-z0-9_-]+$) before they get here; a literal
      // path lets SQLite use the expression index on json_extract(meta, '$.thread_id').
      const path = sql.lit(`$.${key}`);
      // Type and value must both match: `true` never matches `1`.
      if (typeof value === "boolean") {
        return sql<SqlBool>`(json_type(meta, ${path}) = ${value ? "true" : "false"})`;
      }
      if (typeof value === "number") {
        return sql<SqlBool>`(json_type(meta, ${path}) IN ('integer', 'real') AND json_extract(meta, ${path}) = ${value})`;
      }
      return sql<SqlBool>`(json_type(meta, ${path}) = 'text' AND json_extract(meta, ${path}) = ${value})`;
    });
    return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
  },
  // One schema on SQLite: its expression index already answers thread counts from the index alone.
  forSchema: async () => sqliteAdapter,
  isTransient(error) {
    const code = (error as { code?: string })?.code ?? "";
    return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || code.startsWith("SQLITE_BUSY_");
  },
  isDuplicateKey(error) {
    const code = (error as { code?: string })?.code ?? "";
    return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
  },
  isUniqueViolation(error) {
    const code = (error as { code?: string })?.code ?? "";
    return code === "SQLITE_CONSTRAINT_UNIQUE" && String((error as Error).message).includes("idempotency_key");
  },
  // No cross-process channel: same-process writers signal directly, other processes are polled.
  notifyingEventInsert: (insert) => insert,
};

export class SqliteStoreDialect implements StoreDialect {
  readonly kind = "sqlite" as const;
  readonly adapter = sqliteAdapter;
  readonly #path: string;
  readonly #memory: boolean;
  readonly #readOnly: boolean;
  readonly #busyTimeoutMs: number;

  /** `readOnly` opens an existing file without write access and never creates one. */
  constructor(path: string, memory: boolean, readOnly = false, options: DatabaseOptions = {}) {
    this.#path = path;
    this.#memory = memory;
    this.#readOnly = readOnly && !memory;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  }

  get readOnly(): boolean {
    return this.#readOnly;
  }

  async createKysely(): Promise<Kysely<Database>> {
    const { default: BetterSqlite3 } = await import("better-sqlite3");
    if (this.#readOnly) {
      if (!existsSync(this.#path)) throw new DatabaseNotFoundError({ path: this.#path });
    } else if (!this.#memory) {
      mkdirSync(dirname(this.#path), { recursive: true });
    }
    const database = new BetterSqlite3(this.#memory ? ":memory:" : this.#path, this.#readOnly ? { readonly: true, fileMustExist: true } : {}) as unknown as SqliteDatabase;
    database.pragma(`busy_timeout = ${this.#busyTimeoutMs}`);
    if (!this.#memory && !this.#readOnly) database.pragma("journal_mode = WAL");
    if (!this.#readOnly) database.pragma("synchronous = NORMAL");
    // The reference never turns foreign keys on; we do, so cascades work.
    database.pragma("foreign_keys = ON");
    cacheStatements(database);
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: database as never }) });
    handles.set(kysely, database as unknown as SqliteHandle);
    return kysely;
  }

  async prepare(db: Kysely<Database>): Promise<void> {
    if (this.#readOnly) {
      const row = await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'agent_runs'`.execute(db);
      if (Number(row.rows[0]?.n ?? 0) === 0) throw new SchemaNotInitializedError({ sqlitePath: this.#path });
      return;
    }
    await createSqliteSchema(db);
  }

  /** Worker threads, each with its own connection: better-sqlite3 would run the query on the event-loop thread. */
  async createSlowReadKysely(connections: number): Promise<Kysely<Database> | null> {
    if (this.#memory || connections < 1) return null;
    return new Kysely<Database>({ dialect: new SqliteReadPoolDialect({ path: this.#path, readOnly: this.#readOnly, threads: connections, pragmas: [`busy_timeout = ${this.#busyTimeoutMs}`] }) });
  }
}

/** The reference's tables and our extra indexes, each created only if missing. */
export async function createSqliteSchema(db: Kysely<Database>): Promise<void> {
  for (const statement of SQLITE_SCHEMA) await sql.raw(statement).execute(db);
  await applySchemaAdditions(db, SQLITE_EXTRA_INDEXES, sqliteAdapter);
}
