import { type Expression, type Kysely, PostgresAdapter, type SqlBool, sql } from "kysely";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import { ValidationError } from "../errors/validation-error.js";
import type { RunStatus } from "../types/run-status.js";
import { parseDatabaseUrl } from "./database-url.js";
import { createDialect } from "./dialect/create-dialect.js";
import { postgresAdapter } from "./dialect/postgres/postgres-dialect.js";
import { sqliteAdapter } from "./dialect/sqlite/sqlite-dialect.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";
import type { LLMCall, PausePair, RunDetail, RunSummary, StoredEvent, ToolInvocation, TraceEntry } from "./records.js";
import { toLlmCall, toRunDetail, toRunSummary, toStoredEvent, toToolInvocation, toTraceEntry } from "./rows.js";
import type { Database } from "./schema.js";

const METADATA_KEY = /^[A-Za-z0-9_-]+$/;
const MAX_LIMIT = 1000;
const STREAM_BATCH = 100;

export type MetadataFilter = Readonly<Record<string, string | number | boolean>>;

export interface RunFilters {
  /** One status or any of several; `[]` matches nothing. */
  readonly status?: RunStatus | readonly RunStatus[];
  readonly agentName?: string;
  readonly parentRunId?: string;
  readonly tenantId?: string;
  /** Inclusive. */
  readonly startedAfter?: Date;
  /** Exclusive. */
  readonly startedBefore?: Date;
  /** Runs whose id starts with this text (ids are upper-case ULIDs). */
  readonly runIdPrefix?: string;
  /** Top-level `metadata` keys; type and value must match; AND across keys. */
  readonly metadataFilter?: MetadataFilter;
}

export interface ListRunsOptions extends RunFilters {
  /** Clamped to 1..1000. @default 50 */
  readonly limit?: number;
  /** @default 0 */
  readonly offset?: number;
}

export interface PageOptions {
  readonly limit?: number;
  readonly offset?: number;
}

export interface RunStoreOptions {
  /**
   * Open a SQLite file read-only: a missing file throws `DatabaseNotFoundError`
   * and one without dendrux tables `SchemaNotInitializedError`; nothing is ever
   * created. PostgreSQL ignores it (the store only reads either way).
   * @default false
   */
  readonly readOnly?: boolean;
}

export interface StreamEventsOptions {
  readonly afterSequenceIndex?: number;
  /** @default 500 */
  readonly pollIntervalMs?: number;
  /** Ends the iteration (without an error) when aborted. */
  readonly signal?: AbortSignal;
}

const clampLimit = (limit: number | undefined) => (limit === undefined || limit === null ? undefined : Math.min(MAX_LIMIT, Math.max(1, Math.trunc(limit))));

/** Validates a metadata filter; a bad key or value throws naming it. */
export function validateMetadataFilter(filter: unknown): MetadataFilter {
  if (filter === null || typeof filter !== "object" || Array.isArray(filter)) {
    throw new ValidationError({ field: "metadataFilter", message: "metadataFilter must be an object of key → string | number | boolean." });
  }
  for (const [key, value] of Object.entries(filter)) {
    if (!METADATA_KEY.test(key)) {
      throw new ValidationError({
        field: `metadataFilter.${key}`,
        message: `metadataFilter keys must match ^[A-Za-z0-9_-]+$; got ${JSON.stringify(key)}. Nested paths are not supported.`,
      });
    }
    if (!["string", "number", "boolean"].includes(typeof value) || (typeof value === "number" && !Number.isFinite(value))) {
      throw new ValidationError({
        field: `metadataFilter.${key}`,
        message: `metadataFilter value for ${JSON.stringify(key)} must be a string, a finite number or a boolean.`,
      });
    }
  }
  return filter as MetadataFilter;
}

/**
 * Read access to runs and their audit trail, per run or across runs (e.g. all
 * runs of one chat thread via `metadataFilter`).
 *
 * @example
 * await using store = RunStore.fromDatabaseUrl("sqlite:///./app.db");
 * const turns = await store.listRuns({ metadataFilter: { thread_id: "t_1" } });
 */
export class RunStore implements AsyncDisposable {
  readonly #db: () => Promise<Kysely<Database>>;
  readonly #adapter: StoreAdapter;
  readonly #owned: boolean;
  #opened: Promise<Kysely<Database>> | null = null;
  #closed = false;

  private constructor(db: () => Promise<Kysely<Database>>, adapter: StoreAdapter, owned: boolean) {
    this.#db = db;
    this.#adapter = adapter;
    this.#owned = owned;
  }

  /**
   * Opens its own connection on first use (closed by `close()`). On SQLite the
   * schema is created then, like an agent's, so a fresh file reads as empty
   * (unless `readOnly`); on PostgreSQL a database that was never migrated
   * throws `SchemaNotInitializedError` with the `dendrux db migrate` hint.
   */
  static fromDatabaseUrl(url: string, options: RunStoreOptions = {}): RunStore {
    const target = parseDatabaseUrl(url);
    const dialect = createDialect(target, { readOnly: options.readOnly === true });
    return new RunStore(
      async () => {
        const db = await dialect.createKysely();
        try {
          await dialect.prepare(db);
        } catch (error) {
          await db.destroy();
          throw error;
        }
        return db;
      },
      dialect.adapter,
      true,
    );
  }

  /** Uses the caller's Kysely instance (SQLite or PostgreSQL dialect); `close()` leaves it open. */
  static fromKysely(db: Kysely<Database>, kind?: "sqlite" | "postgres"): RunStore {
    const detected = kind ?? (db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite");
    return new RunStore(async () => db, detected === "sqlite" ? sqliteAdapter : postgresAdapter, false);
  }

  #conn(): Promise<Kysely<Database>> {
    if (this.#closed) return Promise.reject(new Error("RunStore is closed."));
    if (!this.#opened) {
      const opening = this.#db();
      // A failed open (missing file, unmigrated database) is retried by the next call.
      opening.catch(() => {
        if (this.#opened === opening) this.#opened = null;
      });
      this.#opened = opening;
    }
    return this.#opened;
  }

  #filters(filters: RunFilters): Expression<SqlBool>[] {
    const where: Expression<SqlBool>[] = [];
    const { status } = filters;
    if (status !== undefined) {
      if (Array.isArray(status)) {
        where.push(status.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`status IN (${sql.join(status)})`);
      } else {
        where.push(sql<SqlBool>`status = ${status}`);
      }
    }
    if (filters.agentName !== undefined) where.push(sql<SqlBool>`agent_name = ${filters.agentName}`);
    if (filters.parentRunId !== undefined) where.push(sql<SqlBool>`parent_run_id = ${filters.parentRunId}`);
    if (filters.tenantId !== undefined) where.push(sql<SqlBool>`tenant_id = ${filters.tenantId}`);
    if (filters.runIdPrefix !== undefined) {
      if (typeof filters.runIdPrefix !== "string" || !/^[0-9A-Za-z]*$/.test(filters.runIdPrefix)) {
        throw new ValidationError({ field: "runIdPrefix", message: "runIdPrefix must contain only letters and digits." });
      }
      if (filters.runIdPrefix !== "") where.push(sql<SqlBool>`id LIKE ${`${filters.runIdPrefix}%`}`);
    }
    for (const [name, value, op] of [
      ["startedAfter", filters.startedAfter, ">="],
      ["startedBefore", filters.startedBefore, "<"],
    ] as const) {
      if (value === undefined) continue;
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
        throw new ValidationError({ field: name, message: `${name} must be a valid Date.` });
      }
      where.push(sql<SqlBool>`created_at ${sql.raw(op)} ${this.#adapter.timestamp(value)}`);
    }
    if (filters.metadataFilter !== undefined && filters.metadataFilter !== null) {
      const filter = validateMetadataFilter(filters.metadataFilter);
      if (Object.keys(filter).length > 0) where.push(this.#adapter.metadataPredicate(filter));
    }
    return where;
  }

  async listRuns(options: ListRunsOptions = {}): Promise<RunSummary[]> {
    const where = this.#filters(options);
    const limit = clampLimit(options.limit ?? 50)!;
    const offset = Math.max(0, Math.trunc(options.offset ?? 0));
    const db = await this.#conn();
    let query = db.selectFrom("agent_runs").selectAll();
    for (const w of where) query = query.where(w);
    const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).offset(offset).execute();
    return rows.map((r) => toRunSummary(this.#adapter, r));
  }

  async countRuns(filters: RunFilters = {}): Promise<number> {
    const where = this.#filters(filters);
    const db = await this.#conn();
    let query = db.selectFrom("agent_runs").select((eb) => eb.fn.countAll().as("n"));
    for (const w of where) query = query.where(w);
    const row = await query.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async getRun(runId: string): Promise<RunDetail | null> {
    const db = await this.#conn();
    const row = await db.selectFrom("agent_runs").selectAll().where("id", "=", runId).executeTakeFirst();
    return row ? toRunDetail(this.#adapter, row) : null;
  }

  async getEvents(runId: string, options: { afterSequenceIndex?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    const db = await this.#conn();
    let query = db.selectFrom("run_events").selectAll().where("agent_run_id", "=", runId);
    if (options.afterSequenceIndex !== undefined && options.afterSequenceIndex !== null) {
      query = query.where("sequence_index", ">", options.afterSequenceIndex);
    }
    const limit = clampLimit(options.limit);
    if (limit !== undefined) query = query.limit(limit);
    const rows = await query.orderBy("sequence_index", "asc").execute();
    return rows.map((r) => toStoredEvent(this.#adapter, r));
  }

  /**
   * Follows a run's events as they are written, polling. Never ends by itself
   * (terminal events are not special): break out, or abort `signal`.
   */
  async *streamEvents(runId: string, options: StreamEventsOptions = {}): AsyncGenerator<StoredEvent, void, undefined> {
    const { signal } = options;
    const interval = options.pollIntervalMs ?? 500;
    if (!(await this.getRun(runId))) throw new RunNotFoundError({ runId });
    let cursor = options.afterSequenceIndex ?? -1;
    while (!signal?.aborted) {
      const batch = await this.getEvents(runId, { afterSequenceIndex: cursor, limit: STREAM_BATCH });
      for (const event of batch) {
        if (signal?.aborted) return;
        yield event;
        cursor = event.sequenceIndex;
      }
      if (batch.length === STREAM_BATCH) continue;
      await sleep(interval, signal);
    }
  }

  async getLlmCalls(runId: string, options: PageOptions & { iteration?: number } = {}): Promise<LLMCall[]> {
    const db = await this.#conn();
    let query = db.selectFrom("llm_interactions").selectAll().where("agent_run_id", "=", runId);
    if (options.iteration !== undefined) query = query.where("iteration_index", "=", options.iteration);
    query = query.orderBy("iteration_index").orderBy("id");
    const rows = await page(query, options).execute();
    return rows.map((r) => toLlmCall(this.#adapter, r));
  }

  async getToolInvocations(runId: string, options: PageOptions & { iteration?: number } = {}): Promise<ToolInvocation[]> {
    const db = await this.#conn();
    let query = db.selectFrom("tool_calls").selectAll().where("agent_run_id", "=", runId);
    if (options.iteration !== undefined) query = query.where("iteration_index", "=", options.iteration);
    query = query.orderBy("created_at").orderBy("id");
    const rows = await page(query, options).execute();
    return rows.map((r) => toToolInvocation(this.#adapter, r));
  }

  async getTraces(runId: string, options: PageOptions = {}): Promise<TraceEntry[]> {
    const db = await this.#conn();
    const query = db.selectFrom("react_traces").selectAll().where("agent_run_id", "=", runId).orderBy("order_index");
    const rows = await page(query, options).execute();
    return rows.map((r) => toTraceEntry(this.#adapter, r));
  }

  /** Pauses paired with their resumes, derived from `run.paused` / `run.resumed` events. */
  async getPauses(runId: string): Promise<PausePair[]> {
    const db = await this.#conn();
    const rows = await db
      .selectFrom("run_events")
      .selectAll()
      .where("agent_run_id", "=", runId)
      .where("event_type", "in", ["run.paused", "run.resumed"])
      .orderBy("sequence_index")
      .execute();
    const pairs: PausePair[] = [];
    let open: StoredEvent | null = null;
    const emit = (paused: StoredEvent, resumed: StoredEvent | null) => {
      const p = (paused.data ?? {}) as Record<string, unknown>;
      const r = (resumed?.data ?? {}) as Record<string, unknown>;
      pairs.push({
        pauseSequenceIndex: paused.sequenceIndex,
        pauseAt: paused.createdAt,
        resumeSequenceIndex: resumed?.sequenceIndex ?? null,
        resumeAt: resumed?.createdAt ?? null,
        reason: "status" in p ? String(p.status) : "",
        pendingToolCalls: Array.isArray(p.pending_tool_calls) ? [...p.pending_tool_calls] : [],
        submittedResults: Array.isArray(r.submitted_results) ? [...r.submitted_results] : [],
        userInput: r.user_input ?? null,
      });
    };
    for (const event of rows.map((r) => toStoredEvent(this.#adapter, r))) {
      if (event.eventType === "run.paused") {
        if (open) emit(open, null);
        open = event;
      } else if (open) {
        emit(open, event);
        open = null;
      }
    }
    if (open) emit(open, null);
    return pairs;
  }

  /** How many times each run paused (`run.paused` events), in one query; runs that never paused are `0`. */
  async countPauses(runIds: readonly string[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = Object.fromEntries(runIds.map((id) => [id, 0]));
    if (runIds.length === 0) return counts;
    const db = await this.#conn();
    const rows = await db
      .selectFrom("run_events")
      .select(["agent_run_id", (eb) => eb.fn.countAll().as("n")])
      .where("event_type", "=", "run.paused")
      .where("agent_run_id", "in", [...runIds])
      .groupBy("agent_run_id")
      .execute();
    for (const row of rows) counts[row.agent_run_id] = Number(row.n);
    return counts;
  }

  /** Placeholder → real value for a run with PII redaction; `{}` otherwise. */
  async getPiiMapping(runId: string): Promise<Record<string, string>> {
    const db = await this.#conn();
    const row = await db.selectFrom("agent_runs").select("pii_mapping").where("id", "=", runId).executeTakeFirst();
    const value = row ? this.#adapter.readJson(row.pii_mapping) : null;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, string>) : {};
  }

  /** Closes the connection this store opened; a no-op for `fromKysely`. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned && this.#opened) await (await this.#opened.catch(() => null))?.destroy();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function page<Q extends { limit(n: number): Q; offset(n: number): Q }>(query: Q, options: PageOptions): Q {
  const limit = clampLimit(options.limit);
  const offset = Math.max(0, Math.trunc(options.offset ?? 0));
  let q = query;
  if (limit !== undefined) q = q.limit(limit);
  if (offset > 0) {
    // SQLite needs a LIMIT before OFFSET.
    if (limit === undefined) q = q.limit(-1 >>> 1);
    q = q.offset(offset);
  }
  return q;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
