import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.js";
import { postgresAdapter } from "./dialect/postgres/postgres-dialect.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";
import { logger } from "../util/logger.js";
import { POSTGRES_SCHEMA_ADDITIONS, POSTGRES_HEAD, POSTGRES_MIGRATIONS } from "./migrations/postgres-migrations.js";

/** What `db migrate` did; it never throws, the caller gets the whole picture. */
export interface MigrationResultSet {
  readonly from: string | null;
  readonly to: string | null;
  readonly applied: readonly string[];
  readonly error?: Error;
}

export interface MigrationStatus {
  readonly current: string | null;
  readonly head: string;
  readonly pending: readonly string[];
  /** Tables exist without `alembic_version` (created outside the migrations). */
  readonly unversioned: boolean;
}

/**
 * Applies our own additions to the schema (indexes; on PostgreSQL, a generated
 * column). A unique index that existing rows violate (written by
 * an older version) is skipped with a warning: the database stays usable.
 */
export async function applySchemaAdditions(db: Kysely<Database>, statements: readonly string[], adapter: Pick<StoreAdapter, "isDuplicateKey">): Promise<void> {
  for (const statement of statements) {
    try {
      await sql.raw(statement).execute(db);
    } catch (error) {
      if (!adapter.isDuplicateKey(error)) throw error;
      logger.warn(`Skipped an index existing rows do not satisfy: ${statement}`, error);
    }
  }
}

// One lock id for every dendrux migrator, so two processes never migrate at once.
const LOCK_ID = 727_001;

async function currentRevision(db: Kysely<Database>): Promise<string | null> {
  const { rows } = await sql<{ name: string | null }>`SELECT to_regclass('alembic_version')::text AS name`.execute(db);
  if (!rows[0]?.name) return null;
  const version = await sql<{ version_num: string }>`SELECT version_num FROM alembic_version`.execute(db);
  return version.rows[0]?.version_num ?? null;
}

async function hasRunsTable(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ name: string | null }>`SELECT to_regclass('agent_runs')::text AS name`.execute(db);
  return Boolean(rows[0]?.name);
}

function pendingAfter(revision: string | null): string[] {
  const index = revision === null ? -1 : POSTGRES_MIGRATIONS.findIndex((m) => m.revision === revision);
  if (revision !== null && index < 0) throw new Error(`Unknown schema revision '${revision}' in alembic_version.`);
  return POSTGRES_MIGRATIONS.slice(index + 1).map((m) => m.revision);
}

export async function postgresStatus(db: Kysely<Database>): Promise<MigrationStatus> {
  const current = await currentRevision(db);
  return { current, head: POSTGRES_HEAD, pending: pendingAfter(current), unversioned: current === null && (await hasRunsTable(db)) };
}

/**
 * Brings a PostgreSQL database to the reference's head revision, one
 * transaction per revision, recording each in `alembic_version`.
 */
export async function migratePostgres(db: Kysely<Database>): Promise<MigrationResultSet> {
  let from: string | null = null;
  const applied: string[] = [];
  try {
    return await db.connection().execute(async (conn) => {
      await sql`SELECT pg_advisory_lock(${LOCK_ID})`.execute(conn);
      try {
        from = await currentRevision(conn);
        if (from === null && (await hasRunsTable(conn))) {
          throw new Error("Tables exist but alembic_version does not: this database was not created by migrations; refusing to guess its revision.");
        }
        for (const revision of pendingAfter(from)) {
          const migration = POSTGRES_MIGRATIONS.find((m) => m.revision === revision)!;
          await conn.transaction().execute(async (trx) => {
            for (const statement of migration.statements) await sql.raw(statement).execute(trx);
            if (migration.downRevision === null) {
              await sql`CREATE TABLE IF NOT EXISTS alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))`.execute(trx);
              await sql`INSERT INTO alembic_version (version_num) VALUES (${revision})`.execute(trx);
            } else {
              await sql`UPDATE alembic_version SET version_num = ${revision}`.execute(trx);
            }
          });
          applied.push(revision);
        }
        await applySchemaAdditions(conn, POSTGRES_SCHEMA_ADDITIONS, postgresAdapter);
        return { from, to: await currentRevision(conn), applied };
      } finally {
        await sql`SELECT pg_advisory_unlock(${LOCK_ID})`.execute(conn);
      }
    });
  } catch (error) {
    return { from, to: applied.at(-1) ?? from, applied, error: error as Error };
  }
}
