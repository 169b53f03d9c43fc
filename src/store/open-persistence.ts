import type { Persistence } from "../runtime/persistence.js";
import { databaseIdentity, parseDatabaseUrl } from "./database-url.js";
import { createDialect, openPrepared } from "./dialect/create-dialect.js";
import { SqlPersistence } from "./sql-persistence.js";

/**
 * Opens the SQL persistence for a database URL: SQLite creates its schema on
 * first use; PostgreSQL must have been migrated (`dendrux db migrate`).
 */
export async function openPersistence(url: string): Promise<Persistence> {
  const target = parseDatabaseUrl(url);
  const dialect = createDialect(target);
  const db = await openPrepared(dialect);
  return new SqlPersistence(db, dialect.adapter, databaseIdentity(target), true);
}

const shared = new Map<string, Promise<Persistence>>();

/**
 * One persistence per URL for the whole process (agents configured through
 * `DENDRUX_DATABASE_URL`): agents share its connection pool and never close it.
 */
export function sharedPersistence(url: string): Promise<Persistence> {
  let opening = shared.get(url);
  if (!opening) {
    opening = openPersistence(url);
    opening.catch(() => shared.delete(url));
    shared.set(url, opening);
  }
  return opening;
}
