import type { DatabaseTarget } from "../database-url.js";
import { PostgresStoreDialect } from "./postgres/postgres-dialect.js";
import { SqliteStoreDialect } from "./sqlite/sqlite-dialect.js";
import type { StoreDialect } from "./store-dialect.js";

export function createDialect(target: DatabaseTarget): StoreDialect {
  return target.kind === "sqlite" ? new SqliteStoreDialect(target.path, target.memory) : new PostgresStoreDialect(target.connectionString);
}
