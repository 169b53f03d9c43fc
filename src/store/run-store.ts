import { availableParallelism } from "node:os";
import { type Expression, type Kysely, PostgresAdapter, type RawBuilder, type SqlBool, sql } from "kysely";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import { ValidationError } from "../errors/validation-error.js";
import type { RunStatus } from "../types/run-status.js";
import type { Persistence } from "../runtime/persistence.js";
import { databaseIdentity, parseDatabaseUrl } from "./database-url.js";
import { type DatabaseOptions, validateDatabaseOptions } from "./database-options.js";
import { createDialect, openPrepared } from "./dialect/create-dialect.js";
import { checkPostgresSchema, postgresAdapter } from "./dialect/postgres/postgres-dialect.js";
import { PostgresListener } from "./dialect/postgres/postgres-listener.js";
import { createSqliteSchema, sqliteAdapter } from "./dialect/sqlite/sqlite-dialect.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";
import { EventHub, type PushSource, type ThreadEvent } from "./live/event-hub.js";
import { EVENTS_CHANNEL } from "./live/event-signals.js";
import { ThreadCursor } from "./live/thread-cursor.js";
import type { LLMCall, PausePair, RunDetail, RunSummary, StoredEvent, ThreadSummary, ThreadTurn, ToolInvocation, TraceEntry } from "./records.js";
import { SUMMARY_COLUMNS, toLlmCall, toRunDetail, toRunSummary, toStoredEvent, toToolInvocation, toTraceEntry } from "./rows.js";
import { type MetadataFilter, type RunScope, scopeKey, scopePredicates, validateMetadataFilter, validateScope } from "./run-scope.js";
import type { Database } from "./schema.js";
import { SqlPersistence } from "./sql-persistence.js";
import { kyselyIdentity, RUN_STORE_BRAND } from "./store-source.js";
import { readThread, readThreadRunIds, readThreadSummary } from "./thread-queries.js";
import { olderThan } from "./run-cursor.js";

export { validateMetadataFilter };
export type { MetadataFilter, RunScope };

const MAX_LIMIT = 1000;
const DEFAULT_POLL_MS = 500;
const DEFAULT_LIST_CONNECTIONS = Math.max(2, Math.min(4, availableParallelism()));

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
  /** Only runs inside this scope (applied together with the filters above). */
  readonly scope?: RunScope;
}

export interface ListRunsOptions extends RunFilters {
  /** Clamped to 1..1000. @default 50 */
  readonly limit?: number;
  /** Rows skipped (after `before`, when both are given); prefer `before` for deep pages. @default 0 */
  readonly offset?: number;
  /**
   * Keyset pagination: only runs after this one in the newest-first order
   * (pass the last run id of the previous page). Stable while runs are added
   * and across equal `created_at`, and as fast on page 1,000 as on page 1.
   * @throws ValidationError (field `before`) when no run with this id exists (in `scope`).
   */
  readonly before?: string;
}

export interface CountRunsOptions {
  /**
   * Count at most this many runs: the count stays exact up to `upTo`; beyond
   * it the result is `{ count: upTo, exact: false }` ("more than `upTo`"), at
   * the cost of reading `upTo + 1` index entries instead of every match.
   */
  readonly upTo: number;
}

/** A count that may stop early: `exact: false` means "more than `count`". */
export interface RunCount {
  readonly count: number;
  readonly exact: boolean;
}

/** A page of runs with the number of runs matching its filters. */
export interface RunPage {
  readonly runs: RunSummary[];
  readonly total: RunCount;
}

export interface PageOptions {
  readonly limit?: number;
  readonly offset?: number;
}

/** Options of every per-run read. */
export interface ScopedOptions {
  /** Reads nothing (as for a missing run) when the run is outside this scope. */
  readonly scope?: RunScope;
}

export interface StreamEventsOptions extends ScopedOptions {
  readonly afterSequenceIndex?: number;
  /** Ends the iteration (without an error) when aborted. */
  readonly signal?: AbortSignal;
}

export interface GetThreadOptions extends ScopedOptions {
  /** The newest `limit` turns (before `before`), returned oldest first; clamped to 1..1000. @default 50 */
  readonly limit?: number;
  /** A run id of the thread: only turns that started before it (for loading older history). */
  readonly before?: string;
  /**
   * Puts the real values back into `input` and `answer` from each run's PII
   * mapping. Off by default: the stored (redacted) text is returned.
   * @default false
   */
  readonly deanonymize?: boolean;
}

export interface StreamThreadEventsOptions extends ScopedOptions {
  /** A `cursor` from an earlier `ThreadEvent`: resume right after it. Default: from the thread's first event. */
  readonly after?: string;
  readonly signal?: AbortSignal;
}

export interface RunStoreOptions {
  /**
   * How often each watched run is re-read when no one pushes its writes:
   * SQLite writes from other processes, or PostgreSQL without a URL to `LISTEN`
   * on. Writes from this process are always pushed. @default 500
   */
  readonly pollIntervalMs?: number;
  /**
   * Open a SQLite file read-only: a missing file throws `DatabaseNotFoundError`
   * and one without dendrux tables `SchemaNotInitializedError`; nothing is ever
   * created. PostgreSQL ignores it (the store only reads either way).
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * How the connection pool is opened (`fromDatabaseUrl` only): pool size,
   * statement timeout, … Open one store with these and pass it to every agent
   * (`new Agent({ store })`) so they all share that one pool.
   */
  readonly databaseOptions?: DatabaseOptions;
  /**
   * How many connections of their own the reads that can be slow get
   * (`listRuns`, `countRuns`, `getThread`, `threadSummary`), so such a query
   * delays only its own caller: reads of one run and live streams go on
   * while it runs. On a SQLite file each is a worker thread with its own
   * read-only connection, which keeps the query off the event loop; on
   * PostgreSQL they are a second pool. `0` shares the main connection (on
   * SQLite: runs them on the event-loop thread).
   * @default the number of CPU cores, at least 2 and at most 4
   */
  readonly listConnections?: number;
}

const clampLimit = (limit: number | undefined) => (limit === undefined || limit === null ? undefined : Math.min(MAX_LIMIT, Math.max(1, Math.trunc(limit))));

/** A list page's limit (default 50) and offset, as `listRuns` applies them. */
const checkUpTo = (upTo: number | undefined, field: string) => {
  if (!Number.isSafeInteger(upTo) || upTo! < 1) throw new ValidationError({ field, message: `${field} must be an integer ≥ 1.` });
};
const countOf = (n: number, upTo: number): RunCount => (n > upTo ? { count: upTo, exact: false } : { count: n, exact: true });
/**
 * A `LIMIT`, inline where one plan is right whatever the other values: PostgreSQL re-plans a prepared statement
 * with a parameterised `LIMIT` at every execution (about a third of a small read's cost there), and keeps one plan
 * for one without parameters or whose plan does not depend on them. So: an unfiltered page, and a run's own rows
 * (always read through the run's index). A run list with filter values keeps its `LIMIT` a parameter and is planned
 * for those values.
 */
const pageBound = (n: number, inline: boolean) => (inline ? sql<number>`${sql.lit(n)}` : n);
const pageBounds = (options: PageOptions) => ({ limit: clampLimit(options.limit ?? 50)!, offset: Math.max(0, Math.trunc(options.offset ?? 0)) });

/**
 * Read access to runs and their audit trail, per run, across runs and per chat
 * thread (runs tagged `metadata.thread_id`), and live: `streamEvents` and
 * `streamThreadEvents` are fed by one shared hub per store, never by a query
 * per viewer.
 *
 * @example
 * await using store = RunStore.fromDatabaseUrl("sqlite:///./app.db");
 * const turns = await store.getThread("t_1", { limit: 20 });
 */
export class RunStore implements AsyncDisposable {
  /** @internal Recognises a store across copies of the package, without loading this module. */
  readonly [RUN_STORE_BRAND] = true as const;
  /** @internal Engine and location without secrets: runs link to a parent only within one identity. */
  readonly identity: string;
  readonly #db: () => Promise<Kysely<Database>>;
  readonly #slowDb: (() => Promise<Kysely<Database> | null>) | null;
  /** Replaced once the database is open by the adapter for its schema (`StoreAdapter.forSchema`). */
  #adapter: StoreAdapter;
  readonly #owned: boolean;
  readonly #readOnly: boolean;
  readonly #listenUrl: string | null;
  readonly #pollIntervalMs: number;
  readonly #scopes = new Map<string, RunScope | undefined>();
  #opened: Promise<Kysely<Database>> | null = null;
  #writes: Promise<Persistence> | null = null;
  #slow: Promise<Kysely<Database> | null> | null = null;
  #hub: EventHub | null = null;
  #closed = false;

  private constructor(
    db: () => Promise<Kysely<Database>>,
    slowDb: (() => Promise<Kysely<Database> | null>) | null,
    adapter: StoreAdapter,
    at: { readonly owned: boolean; readonly identity: string; readonly listenUrl: string | null },
    options: RunStoreOptions,
  ) {
    this.#db = db;
    this.#slowDb = slowDb;
    this.#adapter = adapter;
    this.#owned = at.owned;
    this.identity = at.identity;
    this.#listenUrl = at.listenUrl;
    this.#readOnly = options.readOnly === true;
    const poll = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    if (!Number.isFinite(poll) || poll < 1) throw new ValidationError({ field: "pollIntervalMs", message: "pollIntervalMs must be a number ≥ 1." });
    this.#pollIntervalMs = poll;
  }

  /**
   * Opens its own connection on first use (closed by `close()`). On SQLite the
   * schema is created then, like an agent's, so a fresh file reads as empty
   * (unless `readOnly`); on PostgreSQL a database that was never migrated
   * throws `SchemaNotInitializedError` with the `dendrux db migrate` hint. On
   * PostgreSQL, live streams `LISTEN` on one extra connection, opened at the
   * first stream.
   */
  static fromDatabaseUrl(url: string, options: RunStoreOptions = {}): RunStore {
    const target = parseDatabaseUrl(url);
    const databaseOptions = options.databaseOptions === undefined ? undefined : validateDatabaseOptions(options.databaseOptions);
    const dialect = createDialect(target, { readOnly: options.readOnly === true, ...(databaseOptions ? { databaseOptions } : {}) });
    const connections = options.listConnections ?? DEFAULT_LIST_CONNECTIONS;
    if (!Number.isSafeInteger(connections) || connections < 0) {
      throw new ValidationError({ field: "listConnections", message: "listConnections must be an integer ≥ 0." });
    }
    return new RunStore(
      () => openPrepared(dialect),
      () => dialect.createSlowReadKysely(connections),
      dialect.adapter,
      { owned: true, identity: databaseIdentity(target), listenUrl: target.kind === "postgres" ? target.connectionString : null },
      options,
    );
  }

  /**
   * Uses the caller's Kysely instance (SQLite or PostgreSQL dialect); `close()`
   * leaves it open. On PostgreSQL, pass `listenUrl` (the same database) so live
   * streams are pushed; without it each watched run is polled.
   */
  static fromKysely(db: Kysely<Database>, kind?: "sqlite" | "postgres", options: RunStoreOptions & { readonly listenUrl?: string } = {}): RunStore {
    const detected = kind ?? (db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite");
    let listenUrl: string | null = null;
    if (options.listenUrl !== undefined) {
      const target = parseDatabaseUrl(options.listenUrl);
      if (target.kind !== "postgres") throw new ValidationError({ field: "listenUrl", message: "listenUrl must be a PostgreSQL URL." });
      listenUrl = target.connectionString;
    }
    if (options.databaseOptions !== undefined) {
      throw new ValidationError({ field: "databaseOptions", message: "databaseOptions apply where a pool is opened (RunStore.fromDatabaseUrl); a Kysely instance brings its own." });
    }
    return new RunStore(
      async () => db,
      null,
      detected === "sqlite" ? sqliteAdapter : postgresAdapter,
      { owned: false, identity: kyselyIdentity(db), listenUrl: detected === "postgres" ? listenUrl : null },
      options,
    );
  }

  /**
   * The write side over this store's connection, for the agents that share it.
   * A caller's Kysely gets the schema checked first (created on SQLite).
   * @internal
   */
  persistence(): Promise<Persistence> {
    if (this.#closed) return Promise.reject(new Error("RunStore is closed."));
    if (this.#readOnly) {
      return Promise.reject(new ValidationError({ field: "store", message: "This RunStore was opened with readOnly: true; an agent needs a store that can write." }));
    }
    if (!this.#writes) {
      const opening = this.#conn().then(async (db) => {
        if (!this.#owned) await (this.#adapter.kind === "sqlite" ? createSqliteSchema(db) : checkPostgresSchema(db));
        return new SqlPersistence(db, this.#adapter, this.identity, false);
      });
      opening.catch(() => {
        if (this.#writes === opening) this.#writes = null;
      });
      this.#writes = opening;
    }
    return this.#writes;
  }

  #conn(): Promise<Kysely<Database>> {
    if (this.#closed) return Promise.reject(new Error("RunStore is closed."));
    if (!this.#opened) {
      const opening = this.#db().then(async (db) => {
        this.#adapter = await this.#adapter.forSchema(db);
        return db;
      });
      // A failed open (missing file, unmigrated database) is retried by the next call.
      opening.catch(() => {
        if (this.#opened === opening) this.#opened = null;
      });
      this.#opened = opening;
    }
    return this.#opened;
  }

  /** The connection for reads that can be slow: their own connections where there are some, else the main one. */
  async #slowConn(): Promise<Kysely<Database>> {
    const main = await this.#conn();
    this.#slow ??= this.#slowDb?.() ?? Promise.resolve(null);
    return (await this.#slow) ?? main;
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
      if (filters.runIdPrefix !== "") where.push(this.#idPrefix(filters.runIdPrefix));
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
    where.push(...scopePredicates(this.#adapter, validateScope(filters.scope)));
    return where;
  }

  /**
   * Ids starting with `prefix` (letters and digits), case-sensitive on both
   * engines, read as a range of an index: SQLite compares text bytewise, so
   * `[prefix, prefix with its last character + 1)` is exact; PostgreSQL's
   * `LIKE 'prefix%'` is served by the `text_pattern_ops` index whatever the
   * database's collation.
   */
  #idPrefix(prefix: string): Expression<SqlBool> {
    if (this.#adapter.kind === "postgres") return sql<SqlBool>`id LIKE ${`${prefix}%`}`;
    const next = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return sql<SqlBool>`(id >= ${prefix} AND id < ${next})`;
  }

  /** `agent_run_id` is a run inside the scope (nothing to add without one). */
  #inScope(scope: RunScope | undefined): Expression<SqlBool> | null {
    const predicates = scopePredicates(this.#adapter, validateScope(scope));
    if (predicates.length === 0) return null;
    return sql<SqlBool>`agent_run_id IN (SELECT id FROM agent_runs WHERE ${sql.join(predicates, sql` AND `)})`;
  }

  /** Newest first (`created_at`, then `id`, descending). Page with `before` (or `offset`). */
  async listRuns(options: ListRunsOptions = {}): Promise<RunSummary[]> {
    const db = await this.#slowConn();
    const where = this.#filters(options);
    const page = this.#page(db, options, where);
    const rows = await page.query.execute();
    if (rows.length === 0) await page.cursor?.verify();
    return rows.map((r) => toRunSummary(this.#adapter, r));
  }

  /**
   * The newest-first page `options` asks for, over runs matching `where` (and
   * older than the `before` cursor). Past the first rows (`offset`), the page's
   * ids are found first and only those rows are read: the runs skipped over
   * are read from the index alone, never from the table.
   */
  #page(db: Kysely<Database>, options: ListRunsOptions, where: readonly Expression<SqlBool>[]) {
    const { limit, offset } = pageBounds(options);
    const cursor =
      options.before === undefined
        ? null
        : olderThan(db, options.before, scopePredicates(this.#adapter, validateScope(options.scope)), "before must be the id of a run (the last run of the previous page).");
    const newestFirst = <Q extends { orderBy: (column: "created_at" | "id", direction: "desc") => Q }>(q: Q) => q.orderBy("created_at", "desc").orderBy("id", "desc");
    let matching = db.selectFrom("agent_runs");
    for (const w of where) matching = matching.where(w);
    if (cursor) matching = matching.where(cursor.predicate);
    const query =
      offset === 0
        ? newestFirst(matching.select(SUMMARY_COLUMNS)).limit(pageBound(limit, where.length === 0 && !cursor))
        : newestFirst(db.selectFrom("agent_runs").select(SUMMARY_COLUMNS).where("id", "in", newestFirst(matching.select("id")).limit(limit).offset(offset))).limit(limit);
    return { query, cursor };
  }

  /**
   * `count(*)` of the runs matching `where`; with `upTo`, of the newest
   * `upTo + 1` of them, read in the list's own index order, so the cost is
   * bounded by `upTo` however many runs match.
   */
  #count(db: Kysely<Database>, where: readonly Expression<SqlBool>[], upTo: number) {
    let matching = db.selectFrom("agent_runs").select(sql<number>`1`.as("one"));
    for (const w of where) matching = matching.where(w);
    const counted = upTo === Infinity ? matching : matching.orderBy("created_at", "desc").orderBy("id", "desc").limit(pageBound(upTo + 1, where.length === 0));
    return db.selectFrom(counted.as("matching")).select((eb) => eb.fn.countAll().as("n"));
  }

  /**
   * How many runs match. With `{ upTo }`, counts at most `upTo` of them and
   * says whether the figure is exact, so a count over millions of runs stays
   * as cheap as reading `upTo + 1` index entries.
   * @throws ValidationError when `upTo` is not an integer ≥ 1.
   */
  countRuns(filters?: RunFilters): Promise<number>;
  countRuns(filters: RunFilters, options: CountRunsOptions): Promise<RunCount>;
  async countRuns(filters: RunFilters = {}, options?: CountRunsOptions): Promise<number | RunCount> {
    if (options !== undefined) checkUpTo(options.upTo, "upTo");
    const upTo = options?.upTo ?? Infinity;
    const db = await this.#slowConn();
    const where = this.#filters(filters);
    const row = await this.#count(db, where, upTo).executeTakeFirst();
    const n = Number(row?.n ?? 0);
    return options === undefined ? n : countOf(n, upTo);
  }

  /**
   * One page of `listRuns` and the number of runs matching its filters, as a
   * list screen shows them, in one statement: the count (exact, or up to
   * `totalUpTo`, like `countRuns`) rides along as a scalar subquery. A short
   * page read without `before` is the last one, so its total follows from it
   * exactly whatever the cap; a full one reaching past the cap shows the count
   * is over it, so nothing is counted.
   * @throws ValidationError as `listRuns` and `countRuns` do.
   */
  async listRunsPage(options: ListRunsOptions = {}, count: { readonly totalUpTo?: number } = {}): Promise<RunPage> {
    const upTo = count.totalUpTo ?? Infinity;
    if (upTo !== Infinity) checkUpTo(upTo, "totalUpTo");
    const { limit, offset } = pageBounds(options);
    const db = await this.#slowConn();
    const where = this.#filters(options);
    const page = this.#page(db, options, where);
    // A page that reaches past the cap answers the count itself: full, there are more than `upTo` runs; short, it is the last.
    const pageIsCount = options.before === undefined && offset + limit > upTo;
    const rows: (Parameters<typeof toRunSummary>[1] & { matching_runs?: unknown })[] = pageIsCount
      ? await page.query.execute()
      : await page.query.select(() => this.#count(db, where, upTo).as("matching_runs")).execute();
    if (rows.length === 0) await page.cursor?.verify();
    const runs = rows.map((r) => toRunSummary(this.#adapter, r));
    if (options.before === undefined && runs.length < limit && (runs.length > 0 || offset === 0)) {
      return { runs, total: { count: offset + runs.length, exact: true } };
    }
    if (pageIsCount && runs.length > 0) return { runs, total: { count: upTo, exact: false } };
    // An empty page has no row to carry the count.
    const n = rows.length > 0 ? Number(rows[0]!.matching_runs) : Number((await this.#count(db, where, upTo).executeTakeFirst())?.n ?? 0);
    return { runs, total: countOf(n, upTo) };
  }

  /** The run, or `null` when there is none (or it is outside `scope`). */
  async getRun(runId: string, options: ScopedOptions = {}): Promise<RunDetail | null> {
    const db = await this.#conn();
    const where = scopePredicates(this.#adapter, validateScope(options.scope));
    let query = db.selectFrom("agent_runs").selectAll().where("id", "=", runId);
    for (const w of where) query = query.where(w);
    const row = await query.executeTakeFirst();
    return row ? toRunDetail(this.#adapter, row) : null;
  }

  async getEvents(runId: string, options: ScopedOptions & { afterSequenceIndex?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    const db = await this.#conn();
    const scoped = this.#inScope(options.scope);
    let query = db.selectFrom("run_events").selectAll().where("agent_run_id", "=", runId);
    if (scoped) query = query.where(scoped);
    if (options.afterSequenceIndex !== undefined && options.afterSequenceIndex !== null) {
      query = query.where("sequence_index", ">", options.afterSequenceIndex);
    }
    const limit = clampLimit(options.limit);
    if (limit !== undefined) query = query.limit(pageBound(limit, true));
    const rows = await query.orderBy("sequence_index", "asc").execute();
    return rows.map((r) => toStoredEvent(this.#adapter, r));
  }

  /** The store's live hub, created at the first stream. */
  #live(): EventHub {
    if (this.#closed) throw new Error("RunStore is closed.");
    if (this.#hub) return this.#hub;
    const listenUrl = this.#listenUrl;
    let push: PushSource | null = null;
    if (listenUrl !== null) {
      let listener: PostgresListener | null = null;
      push = {
        start: (onSignal, onCatchUp) => {
          listener = new PostgresListener({ connectionString: listenUrl, channel: EVENTS_CHANNEL, onPayload: EventHub.payloadHandler(onSignal), onListening: onCatchUp });
          return listener.start();
        },
        close: async () => listener?.close(),
      };
    }
    this.#hub = new EventHub({
      pollIntervalMs: this.#pollIntervalMs,
      push,
      source: {
        events: (runId, after, limit) => this.getEvents(runId, { afterSequenceIndex: after, limit }),
        head: async (runId) => {
          const db = await this.#conn();
          const row = await db.selectFrom("run_events").select((eb) => eb.fn.max("sequence_index").as("m")).where("agent_run_id", "=", runId).executeTakeFirst();
          return row?.m === null || row?.m === undefined ? -1 : Number(row.m);
        },
        threadRuns: async (threadId, key) => readThreadRunIds(await this.#slowConn(), this.#adapter, threadId, this.#scopes.get(key)),
        threadOf: async (runId) => {
          const db = await this.#conn();
          const row = await db.selectFrom("agent_runs").select("meta").where("id", "=", runId).executeTakeFirst();
          const meta = row ? this.#adapter.readJson(row.meta) : null;
          const thread = meta && typeof meta === "object" ? (meta as Record<string, unknown>).thread_id : undefined;
          return typeof thread === "string" ? thread : null;
        },
      },
    });
    return this.#hub;
  }

  /**
   * Follows a run's events as they are written. Never ends by itself (terminal
   * events are not special): break out, or abort `signal`. Writes from this
   * process arrive at once; on PostgreSQL so do other processes' (`LISTEN`);
   * on SQLite those are picked up by one poller per watched run.
   * @throws RunNotFoundError when the run does not exist (or is outside `scope`).
   */
  async *streamEvents(runId: string, options: StreamEventsOptions = {}): AsyncGenerator<StoredEvent, void, undefined> {
    if (!(await this.getRun(runId, { scope: options.scope }))) throw new RunNotFoundError({ runId });
    yield* this.#live().follow(runId, options.afterSequenceIndex ?? -1, options.signal);
  }

  /**
   * The turns of a chat thread (runs with `metadata.thread_id`), oldest first:
   * each run's summary with its `input`, `answer`, `error` and `metadata`.
   * @throws ValidationError when `before` is not a run of this thread.
   */
  async getThread(threadId: string, options: GetThreadOptions = {}): Promise<ThreadTurn[]> {
    checkThreadId(threadId);
    return readThread(await this.#slowConn(), this.#adapter, threadId, {
      limit: clampLimit(options.limit ?? 50)!,
      before: options.before,
      deanonymize: options.deanonymize === true,
      scope: validateScope(options.scope),
    });
  }

  /** Turns, statuses, tokens, cost and first/last activity of a thread, aggregated in SQL. */
  async threadSummary(threadId: string, options: ScopedOptions = {}): Promise<ThreadSummary> {
    checkThreadId(threadId);
    return readThreadSummary(await this.#slowConn(), this.#adapter, threadId, validateScope(options.scope));
  }

  /**
   * Follows every run of a thread: each run's events in order, new runs as
   * they start. Each item carries a `cursor`; pass it back as `after` to
   * resume exactly after that event (nothing lost, nothing repeated).
   * @throws ValidationError when `after` is not a cursor this method wrote.
   */
  async *streamThreadEvents(threadId: string, options: StreamThreadEventsOptions = {}): AsyncGenerator<ThreadEvent, void, undefined> {
    checkThreadId(threadId);
    const cursor = options.after === undefined ? ThreadCursor.start() : ThreadCursor.parse(options.after);
    if (!cursor) throw new ValidationError({ field: "after", message: "after must be a cursor from an earlier thread event." });
    const scope = validateScope(options.scope);
    const key = scopeKey(scope);
    this.#scopes.set(key, scope);
    yield* this.#live().followThread(threadId, key, cursor, options.signal);
  }

  async getLlmCalls(runId: string, options: PageOptions & ScopedOptions & { iteration?: number } = {}): Promise<LLMCall[]> {
    const db = await this.#conn();
    const scoped = this.#inScope(options.scope);
    let query = db.selectFrom("llm_interactions").selectAll().where("agent_run_id", "=", runId);
    if (scoped) query = query.where(scoped);
    if (options.iteration !== undefined) query = query.where("iteration_index", "=", options.iteration);
    query = query.orderBy("iteration_index").orderBy("id");
    const rows = await page(query, options).execute();
    return rows.map((r) => toLlmCall(this.#adapter, r));
  }

  async getToolInvocations(runId: string, options: PageOptions & ScopedOptions & { iteration?: number } = {}): Promise<ToolInvocation[]> {
    const db = await this.#conn();
    const scoped = this.#inScope(options.scope);
    let query = db.selectFrom("tool_calls").selectAll().where("agent_run_id", "=", runId);
    if (scoped) query = query.where(scoped);
    if (options.iteration !== undefined) query = query.where("iteration_index", "=", options.iteration);
    query = query.orderBy("created_at").orderBy("id");
    const rows = await page(query, options).execute();
    return rows.map((r) => toToolInvocation(this.#adapter, r));
  }

  async getTraces(runId: string, options: PageOptions & ScopedOptions = {}): Promise<TraceEntry[]> {
    const db = await this.#conn();
    const scoped = this.#inScope(options.scope);
    let query = db.selectFrom("react_traces").selectAll().where("agent_run_id", "=", runId);
    if (scoped) query = query.where(scoped);
    const rows = await page(query.orderBy("order_index"), options).execute();
    return rows.map((r) => toTraceEntry(this.#adapter, r));
  }

  /** Pauses paired with their resumes, derived from `run.paused` / `run.resumed` events. */
  async getPauses(runId: string, options: ScopedOptions = {}): Promise<PausePair[]> {
    const db = await this.#conn();
    const scoped = this.#inScope(options.scope);
    let query = db.selectFrom("run_events").selectAll().where("agent_run_id", "=", runId).where("event_type", "in", ["run.paused", "run.resumed"]);
    if (scoped) query = query.where(scoped);
    const rows = await query.orderBy("sequence_index").execute();
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
  async getPiiMapping(runId: string, options: ScopedOptions = {}): Promise<Record<string, string>> {
    const db = await this.#conn();
    const where = scopePredicates(this.#adapter, validateScope(options.scope));
    let query = db.selectFrom("agent_runs").select("pii_mapping").where("id", "=", runId);
    for (const w of where) query = query.where(w);
    const row = await query.executeTakeFirst();
    const value = row ? this.#adapter.readJson(row.pii_mapping) : null;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, string>) : {};
  }

  /** Closes the connection this store opened; a no-op for `fromKysely`. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#hub?.close();
    await (await this.#slow?.catch(() => null))?.destroy();
    if (this.#owned && this.#opened) await (await this.#opened.catch(() => null))?.destroy();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A page of one run's rows (LLM calls, tool calls, traces). */
function page<Q extends { limit(n: number | RawBuilder<number>): Q; offset(n: number): Q }>(query: Q, options: PageOptions): Q {
  const limit = clampLimit(options.limit);
  const offset = Math.max(0, Math.trunc(options.offset ?? 0));
  let q = query;
  if (limit !== undefined) q = q.limit(pageBound(limit, true));
  if (offset > 0) {
    // SQLite needs a LIMIT before OFFSET.
    if (limit === undefined) q = q.limit(-1 >>> 1);
    q = q.offset(offset);
  }
  return q;
}

function checkThreadId(threadId: unknown): void {
  if (typeof threadId !== "string" || threadId.length === 0 || threadId.includes("\u0000")) {
    throw new ValidationError({ field: "threadId", message: "threadId must be a non-empty string without NUL bytes." });
  }
}
