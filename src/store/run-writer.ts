import { type Kysely, sql } from "kysely";
import { RunAlreadyTerminalError } from "../errors/run-already-terminal-error.js";
import type { RunStatus } from "../types/run-status.js";
import { newId } from "../util/ulid.js";
import { signalEvents } from "./live/event-signals.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";
import { retryTransient } from "./retry.js";
import type { Database } from "./schema.js";

/** Tables a run appends its evidence to. */
type EvidenceTable = "react_traces" | "tool_calls" | "llm_interactions" | "token_usage";

/**
 * Appends a run's events and evidence rows. Numbers are assigned in memory
 * before the write (a retried write keeps its number), continuing from what
 * the database holds, so they stay strictly increasing across pauses and
 * processes.
 *
 * A writer that holds the run (created or claimed it) appends only while the
 * run's row is still `running`: every insert carries that condition, so once
 * someone else finalized the run (a sweep, another process) nothing more is
 * appended and the run learns it lost its lease at its very next write.
 */
export class RunWriter {
  readonly db: Kysely<Database>;
  readonly adapter: StoreAdapter;
  readonly runId: string;
  #nextSequence: number;
  #nextOrder: number;
  #leased: boolean;
  #lost: RunAlreadyTerminalError | null = null;
  /** Appends go out one at a time, in call order: tools of a parallel group finish concurrently. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(db: Kysely<Database>, adapter: StoreAdapter, runId: string, options: { nextSequence?: number; nextOrder?: number; leased?: boolean } = {}) {
    this.db = db;
    this.adapter = adapter;
    this.runId = runId;
    this.#nextSequence = options.nextSequence ?? 0;
    this.#nextOrder = options.nextOrder ?? 0;
    this.#leased = options.leased ?? false;
  }

  /** Reads where numbering continues for an existing run. */
  static async resume(db: Kysely<Database>, adapter: StoreAdapter, runId: string, options: { leased?: boolean } = {}): Promise<RunWriter> {
    const seq = await db.selectFrom("run_events").select((eb) => eb.fn.max("sequence_index").as("m")).where("agent_run_id", "=", runId).executeTakeFirst();
    const ord = await db.selectFrom("react_traces").select((eb) => eb.fn.max("order_index").as("m")).where("agent_run_id", "=", runId).executeTakeFirst();
    const next = (m: unknown) => (m === null || m === undefined ? 0 : Number(m) + 1);
    return new RunWriter(db, adapter, runId, { nextSequence: next(seq?.m), nextOrder: next(ord?.m), leased: options.leased ?? false });
  }

  now(): string | Date {
    return this.adapter.timestamp(new Date());
  }

  /** Set once a guarded write found the run finalized by someone else. */
  get lost(): RunAlreadyTerminalError | null {
    return this.#lost;
  }

  /** The run's own terminal transition is done: what follows (its terminal event) is written unguarded. */
  release(): void {
    this.#leased = false;
  }

  /** `WHERE` condition of every leased append: the run is still running. */
  #stillRunning() {
    return sql`EXISTS (SELECT 1 FROM agent_runs WHERE id = ${this.runId} AND status = 'running')`;
  }

  /**
   * Reads who finalized the run and returns the error the run ends with. It is
   * remembered (`lost`) unless the run was cancelled: that is the run's own
   * request, reported as a cancel.
   */
  async markLost(): Promise<RunAlreadyTerminalError> {
    if (this.#lost) return this.#lost;
    const row = await this.db.selectFrom("agent_runs").select(["status", "failure_reason"]).where("id", "=", this.runId).executeTakeFirst();
    const error = new RunAlreadyTerminalError({
      runId: this.runId,
      currentStatus: (row?.status ?? "error") as RunStatus,
      failureReason: row?.failure_reason ?? null,
    });
    if (error.currentStatus !== "cancelled") this.#lost = error;
    return error;
  }

  async #failIfLost(affected: bigint | number | undefined): Promise<void> {
    if (this.#leased && Number(affected ?? 0) === 0) throw await this.markLost();
  }

  /** Runs `write` after every append queued before it. */
  #inOrder<T>(write: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(write, write);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Fail-closed event append. The number is the writer's counter, raised past
   * anything another writer (a sweep, a cancel) appended meanwhile, in the same
   * statement — so a run never gets a duplicate `sequence_index`.
   */
  event(eventType: string, data: unknown, iteration = 0, correlationId: string | null = null): Promise<void> {
    return this.#inOrder(() => this.#event(eventType, data, iteration, correlationId));
  }

  async #event(eventType: string, data: unknown, iteration: number, correlationId: string | null): Promise<void> {
    if (this.#leased && this.#lost) throw this.#lost;
    const written = await retryTransient(this.adapter, `emit_${eventType}`, this.runId, () =>
      this.#insertEvent(this.db, eventType, data, iteration, correlationId, this.#leased),
    );
    signalEvents(this.runId, written);
  }

  /** Inserts one event through `db` (a connection or a transaction) and advances the counter; returns its number. */
  async #insertEvent(db: Kysely<Database>, eventType: string, data: unknown, iteration: number, correlationId: string | null, guarded: boolean): Promise<number> {
    const wanted = this.#nextSequence;
    const id = newId();
    const json = this.adapter.json(data);
    const createdAt = this.now();
    // HAVING, not WHERE: an aggregate over no rows would still yield one row.
    const guard = guarded ? sql`HAVING ${this.#stillRunning()}` : sql``;
    const result = await this.adapter
      .notifyingEventInsert(
        sql<{ sequence_index: number }>`
        INSERT INTO run_events (id, agent_run_id, event_type, sequence_index, iteration_index, correlation_id, data, created_at)
        SELECT ${id}, ${this.runId}, ${eventType}, MAX(n), ${iteration}, ${correlationId}, ${json}, ${createdAt}
        FROM (
          SELECT CAST(${wanted} AS INTEGER) AS n
          UNION ALL
          SELECT COALESCE(MAX(sequence_index) + 1, 0) FROM run_events WHERE agent_run_id = ${this.runId}
        ) AS candidates
        ${guard}
        RETURNING sequence_index`,
        this.runId,
      )
      .execute(db);
    if (guarded && result.rows.length === 0) throw await this.markLost();
    const written = Number(result.rows[0]?.sequence_index ?? wanted);
    this.#nextSequence = written + 1;
    return written;
  }

  /**
   * A status change and the event that announces it, in one transaction:
   * `transition` is a compare-and-set run through the transaction; when it wins,
   * the event is written with it. A run is never finished without its terminal
   * event, nor the event written for a transition that did not happen.
   */
  finalize(
    label: string,
    transition: (db: Kysely<Database>) => Promise<boolean>,
    event: { readonly type: string; readonly data: unknown; readonly iteration?: number },
  ): Promise<boolean> {
    return this.#inOrder(async () => {
      const before = this.#nextSequence;
      let written: number | null = null;
      const won = await retryTransient(this.adapter, label, this.runId, async () => {
        try {
          return await this.db.transaction().execute(async (trx) => {
            written = null;
            if (!(await transition(trx))) return false;
            written = await this.#insertEvent(trx, event.type, event.data, event.iteration ?? 0, null, false);
            return true;
          });
        } catch (error) {
          // Rolled back: the number was not used.
          this.#nextSequence = before;
          throw error;
        }
      });
      if (won) {
        this.#leased = false;
        if (written !== null) signalEvents(this.runId, written);
      }
      return won;
    });
  }

  /** Fail-closed trace append. */
  async trace(role: string, content: string, meta: Record<string, unknown>): Promise<void> {
    const order = this.#nextOrder++;
    const now = this.now();
    await this.append(
      "react_traces",
      { id: newId(), agent_run_id: this.runId, role, content, order_index: order, meta: this.adapter.json(meta), created_at: now, updated_at: now },
      "save_trace",
    );
  }

  /**
   * Appends one evidence row, fail-closed (retried on transient errors, then
   * thrown). While the writer holds the run, the row is written only if the
   * run is still `running`.
   */
  append(table: EvidenceTable, values: Record<string, unknown>, label: string): Promise<void> {
    return this.#inOrder(() => this.#append(table, values, label));
  }

  async #append(table: EvidenceTable, values: Record<string, unknown>, label: string): Promise<void> {
    if (this.#leased && this.#lost) throw this.#lost;
    const columns = Object.keys(values);
    const result = await retryTransient(this.adapter, label, this.runId, () => {
      if (!this.#leased) return this.db.insertInto(table).values(values as never).executeTakeFirst().then((r) => r.numInsertedOrUpdatedRows);
      return sql`
        INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
        SELECT ${sql.join(columns.map((c) => sql`${values[c]}`))}
        WHERE ${this.#stillRunning()}`
        .execute(this.db)
        .then((r) => r.numAffectedRows);
    });
    await this.#failIfLost(result);
  }
}
