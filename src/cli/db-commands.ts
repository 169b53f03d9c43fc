import { parseDatabaseUrl } from "../store/database-url.js";
import { createDialect } from "../store/dialect/create-dialect.js";
import { migratePostgres, postgresStatus } from "../store/migrate.js";

type Out = (line: string) => void;

function databaseUrl(): string {
  const url = process.env.DENDRUX_DATABASE_URL;
  if (!url) throw new Error("DENDRUX_DATABASE_URL is not set. Export it first, e.g. export DENDRUX_DATABASE_URL=postgresql://user@host/db");
  return url;
}

/** `dendrux db migrate`: PostgreSQL to the head revision; SQLite gets its schema created. */
export async function dbMigrate(out: Out): Promise<number> {
  const target = parseDatabaseUrl(databaseUrl());
  const dialect = createDialect(target);
  const db = await dialect.createKysely();
  try {
    if (target.kind === "sqlite") {
      await dialect.prepare(db);
      out(`SQLite schema ready at ${target.path}`);
      return 0;
    }
    const result = await migratePostgres(db);
    for (const revision of result.applied) out(`applied ${revision}`);
    if (result.error) {
      out(`migration failed: ${result.error.message}`);
      return 1;
    }
    out(result.applied.length === 0 ? `already at head (${result.to})` : `migrated ${result.from ?? "<empty>"} -> ${result.to}`);
    return 0;
  } finally {
    await db.destroy();
  }
}

/** `dendrux db status`: the current revision and what is pending. */
export async function dbStatus(out: Out): Promise<number> {
  const target = parseDatabaseUrl(databaseUrl());
  const dialect = createDialect(target);
  const db = await dialect.createKysely();
  try {
    if (target.kind === "sqlite") {
      out("SQLite: the schema is created automatically on first use (no migrations).");
      return 0;
    }
    const status = await postgresStatus(db);
    out(`current: ${status.current ?? (status.unversioned ? "<unversioned tables>" : "<empty>")}`);
    out(`head:    ${status.head}`);
    out(status.pending.length === 0 ? "up to date" : `pending: ${status.pending.join(", ")}`);
    return status.pending.length === 0 ? 0 : 2;
  } finally {
    await db.destroy();
  }
}
