import { type Expression, Kysely, PostgresDialect, type SqlBool, sql } from "kysely";
import { EVENTS_CHANNEL } from "../../live/event-signals.js";
import { logger } from "../../../util/logger.js";
import { SchemaNotInitializedError } from "../../../errors/schema-not-initialized-error.js";
import type { Database } from "../../schema.js";
import type { DatabaseOptions } from "../../database-options.js";
import { jsonText } from "../json-values.js";
import { parseTimestampText } from "../../precise-time.js";
import type { StoreAdapter, StoreDialect } from "../store-dialect.js";
import { withPreparedStatements } from "./prepared-statements.js";

// Class 08 (connection), 57P (operator intervention), 53300 (too many connections), 40001/40P01 (serialization/deadlock).
const TRANSIENT_SQLSTATE = /^(08|57P)|^(53300|40001|40P01)$/;
const TIMESTAMP_OID = 1114;
const TIMESTAMPTZ_OID = 1184;
const TRANSIENT_NODE = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"]);
/**
 * `metadata.thread_id` as text when it is a string: a stored generated column
 * our migrations add (`dendrux db migrate`), with the newest-first index
 * `ix_agent_runs_meta_thread_created`. A thread's count is then read from the
 * index alone; PostgreSQL cannot do that with an index on an expression of
 * `meta`, and visits a table page per run instead.
 */
export const META_THREAD_COLUMN = "meta_thread_id";

/** `metadataFilter` as SQL; `threadColumn` when the database has `meta_thread_id`. */
function metadataPredicateOf(threadColumn: boolean): StoreAdapter["metadataPredicate"] {
  return (filter) => {
    const parts: Expression<SqlBool>[] = [];
    const contained: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(filter)) {
      if (key !== "thread_id") contained[key] = value;
      else if (threadColumn && typeof value === "string") parts.push(sql<SqlBool>`${sql.ref(META_THREAD_COLUMN)} = ${value}`);
      // Compared as jsonb, so type and value must both match (the column's own definition, for any value).
      else parts.push(sql<SqlBool>`(meta::jsonb -> 'thread_id') = ${JSON.stringify(value)}::jsonb`);
    }
    // Every other key: one containment test, which uses the GIN index on (meta::jsonb).
    if (Object.keys(contained).length > 0) parts.push(sql<SqlBool>`meta::jsonb @> ${JSON.stringify(contained)}::jsonb`);
    return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
  };
}

/** Whether `agent_runs` has the generated `meta_thread_id` column (a database our migrations have not run on does not). */
async function hasThreadColumn(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('agent_runs') AND attname = ${META_THREAD_COLUMN} AND NOT attisdropped
    ) AS present`.execute(db);
  return rows[0]?.present === true;
}

export const postgresAdapter: StoreAdapter = {
  kind: "postgres",
  timestamp: (date) => date,
  bool: (value) => value,
  json: jsonText,
  readJson: (value) => (value === undefined ? null : value),
  readTimestamp(value) {
    if (value === null || value === undefined) return null;
    return value instanceof Date ? value : parseTimestampText(String(value));
  },
  readBool: (value) => value === true || value === 1 || value === "t",
  metadataPredicate: metadataPredicateOf(false),
  async forSchema(db) {
    return (await hasThreadColumn(db)) ? withThreadColumn : postgresAdapter;
  },
  isTransient(error) {
    const code = String((error as { code?: string })?.code ?? "");
    return TRANSIENT_SQLSTATE.test(code) || TRANSIENT_NODE.has(code) || /Connection terminated|not queryable/i.test(String((error as Error)?.message));
  },
  isDuplicateKey: (error) => (error as { code?: string })?.code === "23505",
  isUniqueViolation(error) {
    const e = error as { code?: string; constraint?: string; detail?: string };
    return e?.code === "23505" && /idempotency_key/.test(`${e.constraint ?? ""} ${e.detail ?? ""}`);
  },
  notifyingEventInsert(insert, runId) {
    return sql<{ sequence_index: number }>`
      WITH inserted AS (${insert})
      SELECT sequence_index, pg_notify(${EVENTS_CHANNEL}, CAST(${runId} AS text) || ' ' || CAST(sequence_index AS text)) AS notified
      FROM inserted`;
  },
};

const withThreadColumn: StoreAdapter = { ...postgresAdapter, metadataPredicate: metadataPredicateOf(true) };

export class PostgresStoreDialect implements StoreDialect {
  readonly kind = "postgres" as const;
  readonly adapter = postgresAdapter;
  readonly #connectionString: string;
  readonly #options: DatabaseOptions;

  constructor(connectionString: string, options: DatabaseOptions = {}) {
    this.#connectionString = connectionString;
    this.#options = options;
  }

  async createKysely(max?: number, settings = ""): Promise<Kysely<Database>> {
    let pg: typeof import("pg").default;
    try {
      pg = (await import("pg")).default;
    } catch {
      throw new Error('PostgreSQL support needs the "pg" package: npm install pg');
    }
    const o = this.#options;
    const pool = new pg.Pool({
      connectionString: this.#connectionString,
      max: max ?? o.poolMax ?? 10,
      ...(o.idleTimeoutMs !== undefined ? { idleTimeoutMillis: o.idleTimeoutMs } : {}),
      ...(o.connectionTimeoutMs !== undefined ? { connectionTimeoutMillis: o.connectionTimeoutMs } : {}),
      ...(o.statementTimeoutMs ? { statement_timeout: o.statementTimeoutMs } : {}),
      ...(o.applicationName !== undefined ? { application_name: o.applicationName } : {}),
      // Idle connections never keep the process alive: a script ends when its work does, even with a pool nobody
      // closes (the process-wide pool of DENDRUX_DATABASE_URL). A query in flight still holds the process open.
      allowExitOnIdle: true,
      // Timestamps as text in UTC: a Date would drop the microseconds the columns hold.
      options: `-c TimeZone=UTC${settings}`,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          oid === TIMESTAMPTZ_OID || oid === TIMESTAMP_OID ? (text: string) => text : pg.types.getTypeParser(oid, format)) as never,
      },
    });
    // An idle client can lose its connection (server restart, admin kill); the pool replaces it.
    pool.on("error", (error) => logger.warn("PostgreSQL idle client error", error));
    // A checked-out client that loses its connection fails its queries and also emits "error", which would
    // crash the process unheard; the pool drops the client when it is released.
    pool.on("connect", (client) => client.on("error", (error) => logger.warn("PostgreSQL connection lost", error)));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }) });
  }

  prepare(db: Kysely<Database>): Promise<void> {
    return checkPostgresSchema(db);
  }

  /**
   * A pool of its own, so slow reads queue there and never hold the connections per-run reads and streams need.
   * Its statements with filter values are planned for those values at every execution (`force_custom_plan`): a
   * plan made once for "any tenant" can walk the whole table for a small one. A statement without parameters (an
   * unfiltered page) is still planned once per connection.
   */
  async createSlowReadKysely(connections: number): Promise<Kysely<Database> | null> {
    return connections < 1 ? null : this.createKysely(connections, " -c plan_cache_mode=force_custom_plan");
  }
}

/** Throws `SchemaNotInitializedError` (with the `dendrux db migrate` hint) when the tables are missing. */
export async function checkPostgresSchema(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ name: string | null }>`SELECT to_regclass('agent_runs')::text AS name`.execute(db);
  if (!rows[0]?.name) throw new SchemaNotInitializedError();
}
