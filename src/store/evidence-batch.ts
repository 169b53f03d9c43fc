import { CompiledQuery, type Kysely, type OperationNodeSource, type RawBuilder, sql } from "kysely";
import { EVENTS_CHANNEL } from "./live/event-signals.js";
import { sqliteHandleOf } from "./dialect/sqlite/sqlite-dialect.js";
import type { Database } from "./schema.js";

/** Tables a run's step writes rows to, in the order a batch inserts them. */
export const BATCH_TABLES = ["react_traces", "llm_interactions", "token_usage", "tool_calls", "run_events"] as const;
export type BatchTable = (typeof BATCH_TABLES)[number];

/** Rows are written only by this writer: keys are column names, values already in the column's form. */
export type BatchRow = Record<string, unknown>;

/** What a step's commit writes, besides the run row it updates or creates. */
export interface BatchRows {
  readonly rows: ReadonlyMap<BatchTable, readonly BatchRow[]>;
}

/**
 * The run row's part of a commit: `UPDATE agent_runs … RETURNING
 * cancel_requested` (the run is still this writer's) or the `INSERT` that
 * creates it. Whether it yields a row decides whether the rows are written.
 */
export type BatchAnchor = (db: Kysely<Database>) => OperationNodeSource & {
  compile(): CompiledQuery;
  executeTakeFirst(): Promise<{ cancel_requested: unknown } | undefined>;
};

type ColumnType = "text" | "integer" | "numeric" | "boolean" | "timestamptz" | "json";

const INT = "integer" as const;
const TEXT = "text" as const;
const JSON_COLUMN = "json" as const;
const TS = "timestamptz" as const;
const NUM = "numeric" as const;

/** PostgreSQL types of the columns a batch writes (the reference's DDL). */
const PG_COLUMNS: Record<BatchTable, Record<string, ColumnType>> = {
  react_traces: { id: TEXT, agent_run_id: TEXT, role: TEXT, content: TEXT, order_index: INT, meta: JSON_COLUMN, created_at: TS, updated_at: TS },
  llm_interactions: {
    id: TEXT, agent_run_id: TEXT, iteration_index: INT, model: TEXT, provider: TEXT,
    semantic_request: JSON_COLUMN, semantic_response: JSON_COLUMN, provider_request: JSON_COLUMN, provider_response: JSON_COLUMN,
    input_tokens: INT, output_tokens: INT, cost_usd: NUM, duration_ms: INT,
    cache_read_input_tokens: INT, cache_creation_input_tokens: INT, reasoning_tokens: INT, guardrail_findings: JSON_COLUMN, created_at: TS,
  },
  token_usage: {
    id: TEXT, agent_run_id: TEXT, iteration_index: INT, model: TEXT, provider: TEXT, input_tokens: INT, output_tokens: INT,
    cost_usd: NUM, duration_ms: INT, cache_read_input_tokens: INT, cache_creation_input_tokens: INT, reasoning_tokens: INT,
    meta: JSON_COLUMN, created_at: TS,
  },
  tool_calls: {
    id: TEXT, agent_run_id: TEXT, tool_call_id: TEXT, provider_tool_call_id: TEXT, tool_name: TEXT, target: TEXT,
    params: JSON_COLUMN, result: JSON_COLUMN, success: "boolean", duration_ms: INT, iteration_index: INT, error_message: TEXT,
    meta: JSON_COLUMN, created_at: TS, updated_at: TS,
  },
  run_events: {
    id: TEXT, agent_run_id: TEXT, event_type: TEXT, sequence_index: INT, iteration_index: INT, correlation_id: TEXT,
    data: JSON_COLUMN, created_at: TS,
  },
};

/**
 * One JSON document holding a table's rows for `json_to_recordset`. JSON
 * columns travel as strings of their stored text, so PostgreSQL keeps the
 * exact bytes and tells the JSON literal `null` from SQL `NULL`.
 */
function recordsetJson(table: BatchTable, rows: readonly BatchRow[]): string {
  const types = PG_COLUMNS[table];
  return JSON.stringify(
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(row)) {
        if (!(column in types)) throw new Error(`Column '${table}.${column}' is not one a batch writes.`);
        out[column] = value instanceof Date ? value.toISOString() : value;
      }
      return out;
    }),
  );
}

function pgInsert(table: BatchTable, rows: readonly BatchRow[]): RawBuilder<unknown> {
  const columns = Object.keys(rows[0]!);
  const types = PG_COLUMNS[table];
  const declared = sql.join(columns.map((c) => sql`${sql.ref(c)} ${sql.raw(types[c] === JSON_COLUMN ? TEXT : types[c]!)}`));
  const selected = sql.join(columns.map((c) => (types[c] === JSON_COLUMN ? sql`r.${sql.ref(c)}::json` : sql`r.${sql.ref(c)}`)));
  const returning = table === "run_events" ? sql` RETURNING sequence_index` : sql``;
  return sql`${sql.ref(`w_${table}`)} AS (
    INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    SELECT ${selected} FROM lease, json_to_recordset(${recordsetJson(table, rows)}::json) AS r(${declared})${returning})`;
}

/**
 * PostgreSQL: the anchor and every row in one statement — one round trip, one
 * commit. The rows are joined to the anchor's result, so when the anchor
 * matches no row (the run is no longer this writer's) nothing is written.
 * New events are announced with `pg_notify`, delivered at commit.
 */
export async function commitBatchPostgres(
  db: Kysely<Database>,
  runId: string,
  anchor: BatchAnchor,
  batch: BatchRows,
): Promise<{ cancelRequested: boolean } | null> {
  const ctes = [sql`lease AS (${anchor(db)})`];
  for (const table of BATCH_TABLES) {
    const rows = batch.rows.get(table);
    if (rows && rows.length > 0) ctes.push(pgInsert(table, rows));
  }
  const events = (batch.rows.get("run_events")?.length ?? 0) > 0;
  const notify = events
    ? sql`, (SELECT pg_notify(${EVENTS_CHANNEL}, ${runId} || ' ' || max(sequence_index)::text) FROM w_run_events) AS notified`
    : sql``;
  const result = await sql<{ cancel_requested: boolean }>`WITH ${sql.join(ctes)} SELECT lease.cancel_requested${notify} FROM lease`.execute(db);
  const row = result.rows[0];
  return row ? { cancelRequested: row.cancel_requested === true } : null;
}

// SQLite's bound-parameter ceiling is 32,766; stay well below it per statement.
const SQLITE_MAX_PARAMS = 30_000;

const insertTexts = new Map<string, string>();

/** `INSERT INTO table (…) VALUES (?, …), …` for `rows` rows, built once per shape. */
function insertText(table: BatchTable, columns: readonly string[], rows: number): string {
  const key = `${table}|${columns.join(",")}|${rows}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const tuple = `(${columns.map(() => "?").join(", ")})`;
    text = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${Array.from({ length: rows }, () => tuple).join(", ")}`;
    if (insertTexts.size < 1024) insertTexts.set(key, text);
  }
  return text;
}

/**
 * SQLite: the anchor and the rows in one transaction (one commit). A write
 * lock is taken by the anchor, the first statement, so the transaction never
 * has to upgrade a read lock.
 */
export async function commitBatchSqlite(
  db: Kysely<Database>,
  anchor: BatchAnchor,
  batch: BatchRows,
  readBool: (value: unknown) => boolean,
): Promise<{ cancelRequested: boolean } | null> {
  const handle = sqliteHandleOf(db);
  if (handle) {
    // The store's own connection: one synchronous `BEGIN IMMEDIATE … COMMIT` under Kysely's connection
    // lock (so no other query interleaves), without a promise per statement.
    const compiled = anchor(db).compile();
    return db.connection().execute(async () =>
      handle
        .transaction(() => {
          const lease = handle.prepare(compiled.sql).get(...compiled.parameters) as { cancel_requested: unknown } | undefined;
          if (!lease) return null;
          for (const [text, values] of sqliteInserts(batch)) handle.prepare(text).run(...values);
          return { cancelRequested: readBool(lease.cancel_requested) };
        })
        .immediate(),
    );
  }
  return db.transaction().execute(async (trx) => {
    const lease = await anchor(trx).executeTakeFirst();
    if (!lease) return null;
    // Written straight to the driver: the text is fixed per shape (and SQLite's prepared statement cached).
    for (const [text, values] of sqliteInserts(batch)) await trx.executeQuery(CompiledQuery.raw(text, values));
    return { cancelRequested: readBool(lease.cancel_requested) };
  });
}

/** The batch's multi-row inserts, table by table, each within SQLite's parameter ceiling. */
function* sqliteInserts(batch: BatchRows): Generator<[string, unknown[]]> {
  for (const table of BATCH_TABLES) {
    const rows = batch.rows.get(table);
    if (!rows || rows.length === 0) continue;
    const columns = Object.keys(rows[0]!);
    const perStatement = Math.max(1, Math.floor(SQLITE_MAX_PARAMS / columns.length));
    for (let at = 0; at < rows.length; at += perStatement) {
      const chunk = rows.slice(at, at + perStatement);
      yield [insertText(table, columns, chunk.length), chunk.flatMap((row) => columns.map((c) => row[c]))];
    }
  }
}
