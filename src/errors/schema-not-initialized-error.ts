import { DendruxError } from "./dendrux-error.js";

/** The configured PostgreSQL database has no dendrux tables yet. */
export class SchemaNotInitializedError extends DendruxError {
  override readonly name = "SchemaNotInitializedError";

  constructor() {
    super(
      "Dendrux tables not found in the configured database. Run migrations before the first run:\n\n" +
        "    export DENDRUX_DATABASE_URL=<your-database-url>\n" +
        "    dendrux db migrate\n\n" +
        "SQLite auto-creates its schema; Postgres and other backends require this step. " +
        "Check status with 'dendrux db status'.",
    );
  }
}
