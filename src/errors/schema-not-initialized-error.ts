import { DendruxError } from "./dendrux-error.js";

const MIGRATE_HINT =
  "Dendrux tables not found in the configured database. Run migrations before the first run:\n\n" +
  "    export DENDRUX_DATABASE_URL=<your-database-url>\n" +
  "    dendrux db migrate\n\n" +
  "SQLite auto-creates its schema; Postgres and other backends require this step. " +
  "Check status with 'dendrux db status'.";

/**
 * The configured database has no dendrux tables yet: a PostgreSQL database
 * that was never migrated, or a SQLite file opened read-only that no agent
 * has written to.
 */
export class SchemaNotInitializedError extends DendruxError {
  override readonly name = "SchemaNotInitializedError";
  /** The SQLite file, when the database is one opened read-only; `null` otherwise. */
  readonly sqlitePath: string | null;

  constructor(options: { sqlitePath?: string } = {}) {
    super(
      options.sqlitePath === undefined
        ? MIGRATE_HINT
        : `No dendrux tables in the SQLite file ${options.sqlitePath} (opened read-only, so nothing was created). ` +
            "Check the path: it should be the database your agents write to.",
    );
    this.sqlitePath = options.sqlitePath ?? null;
  }
}
