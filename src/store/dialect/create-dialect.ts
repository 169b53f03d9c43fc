import type { Kysely } from "kysely";
import type { DatabaseTarget } from "../database-url.js";
import type { DatabaseOptions } from "../database-options.js";
import type { Database } from "../schema.js";
import { PostgresStoreDialect } from "./postgres/postgres-dialect.js";
import { SqliteStoreDialect } from "./sqlite/sqlite-dialect.js";
import type { StoreDialect } from "./store-dialect.js";

/**
 * `readOnly` applies to SQLite files (opened without write access, never
 * created); PostgreSQL ignores it. `databaseOptions` are already validated.
 */
export function createDialect(target: DatabaseTarget, options: { readOnly?: boolean; databaseOptions?: DatabaseOptions } = {}): StoreDialect {
  const tuning = options.databaseOptions ?? {};
  return target.kind === "sqlite"
    ? new SqliteStoreDialect(target.path, target.memory, options.readOnly ?? false, tuning)
    : new PostgresStoreDialect(target.connectionString, tuning);
}

/** A connection with the schema ready (SQLite creates it, PostgreSQL checks it); closed again if that fails. */
export async function openPrepared(dialect: StoreDialect): Promise<Kysely<Database>> {
  const db = await dialect.createKysely();
  try {
    await dialect.prepare(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
