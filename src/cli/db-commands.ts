import { parseDatabaseUrl } from "../store/database-url.js";
import { createDialect } from "../store/dialect/create-dialect.js";
import { migratePostgres, postgresStatus } from "../store/migrate.js";
import { type Output, redactUrl, requireExistingDatabase } from "./cli-context.js";

/** `dendrux db migrate`: PostgreSQL to the head revision; SQLite gets its schema created. */
export async function dbMigrate(url: string, out: Output): Promise<number> {
  const target = parseDatabaseUrl(url);
  const dialect = createDialect(target);
  const db = await dialect.createKysely();
  try {
    if (target.kind === "sqlite") {
      await dialect.prepare(db);
      out.line(`SQLite schema ready at ${target.path}`);
      return 0;
    }
    const result = await migratePostgres(db);
    for (const revision of result.applied) out.line(`applied ${revision}`);
    if (result.error) {
      out.line(`migration failed: ${result.error.message}`);
      return 1;
    }
    out.line(result.applied.length === 0 ? `already at head (${result.to})` : `migrated ${result.from ?? "<empty>"} -> ${result.to}`);
    return 0;
  } finally {
    await db.destroy();
  }
}

/** `dendrux db status`: the current revision and what is pending (exit 2 when something is). */
export async function dbStatus(url: string, out: Output): Promise<number> {
  const target = parseDatabaseUrl(url);
  if (target.kind === "sqlite") {
    requireExistingDatabase(url);
    out.line(`SQLite ${target.path}: the schema is created automatically on first use (no migrations).`);
    return 0;
  }
  const dialect = createDialect(target);
  const db = await dialect.createKysely();
  try {
    const status = await postgresStatus(db);
    out.line(`database: ${redactUrl(url)}`);
    out.line(`current: ${status.current ?? (status.unversioned ? "<unversioned tables>" : "<empty>")}`);
    out.line(`head:    ${status.head}`);
    out.line(status.pending.length === 0 ? "up to date" : `pending: ${status.pending.join(", ")}`);
    if (status.pending.length > 0) out.line("run: dendrux db migrate");
    return status.pending.length === 0 ? 0 : 2;
  } finally {
    await db.destroy();
  }
}
