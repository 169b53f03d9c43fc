import { type Kysely, sql } from "kysely";
import { newId } from "../util/ulid.js";
import { signalEvents } from "./live/event-signals.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";
import { retryTransient } from "./retry.js";
import type { Database } from "./schema.js";

const TOUCH_INTERVAL_MS = 1000;

/**
 * Appends a run's events and traces. Numbers are assigned in memory before the
 * write (a retried write keeps its number), continuing from what the database
 * holds, so they stay strictly increasing across pauses and processes. A
 * claimed run has exactly one writer, so no two writers share a counter.
 */
export class RunWriter {
  readonly db: Kysely<Database>;
  readonly adapter: StoreAdapter;
  readonly runId: string;
  #nextSequence: number;
  #nextOrder: number;
  #lastTouch = 0;

  constructor(db: Kysely<Database>, adapter: StoreAdapter, runId: string, nextSequence = 0, nextOrder = 0) {
    this.db = db;
    this.adapter = adapter;
    this.runId = runId;
    this.#nextSequence = nextSequence;
    this.#nextOrder = nextOrder;
  }

  /** Reads where numbering continues for an existing run. */
  static async resume(db: Kysely<Database>, adapter: StoreAdapter, runId: string): Promise<RunWriter> {
    const seq = await db.selectFrom("run_events").select((eb) => eb.fn.max("sequence_index").as("m")).where("agent_run_id", "=", runId).executeTakeFirst();
    const ord = await db.selectFrom("react_traces").select((eb) => eb.fn.max("order_index").as("m")).where("agent_run_id", "=", runId).executeTakeFirst();
    const next = (m: unknown) => (m === null || m === undefined ? 0 : Number(m) + 1);
    return new RunWriter(db, adapter, runId, next(seq?.m), next(ord?.m));
  }

  now(): string | Date {
    return this.adapter.timestamp(new Date());
  }

  /**
   * Fail-closed event append. The number is the writer's counter, raised past
   * anything another writer (a sweep, a cancel) appended meanwhile, in the same
   * statement — so a run never gets a duplicate `sequence_index`.
   */
  async event(eventType: string, data: unknown, iteration = 0, correlationId: string | null = null): Promise<void> {
    const wanted = this.#nextSequence;
    const id = newId();
    const json = this.adapter.json(data);
    const createdAt = this.now();
    const result = await retryTransient(this.adapter, `emit_${eventType}`, this.runId, () =>
      this.adapter.notifyingEventInsert(sql<{ sequence_index: number }>`
        INSERT INTO run_events (id, agent_run_id, event_type, sequence_index, iteration_index, correlation_id, data, created_at)
        SELECT ${id}, ${this.runId}, ${eventType}, MAX(n), ${iteration}, ${correlationId}, ${json}, ${createdAt}
        FROM (
          SELECT CAST(${wanted} AS INTEGER) AS n
          UNION ALL
          SELECT COALESCE(MAX(sequence_index) + 1, 0) FROM run_events WHERE agent_run_id = ${this.runId}
        ) AS candidates
        RETURNING sequence_index`, this.runId).execute(this.db),
    );
    const written = Number(result.rows[0]?.sequence_index ?? wanted);
    this.#nextSequence = written + 1;
    signalEvents(this.runId, written);
  }

  /** Fail-closed trace append. */
  async trace(role: string, content: string, meta: Record<string, unknown>): Promise<void> {
    const order = this.#nextOrder++;
    const id = newId();
    const now = this.now();
    await retryTransient(this.adapter, "save_trace", this.runId, () =>
      this.db
        .insertInto("react_traces")
        .values({ id, agent_run_id: this.runId, role, content, order_index: order, meta: this.adapter.json(meta), created_at: now, updated_at: now })
        .execute(),
    );
  }

  /**
   * Best-effort liveness mark (stale sweeps key on it). At most one write per
   * second: sweep thresholds are minutes, and each write is a durable commit.
   */
  async touch(): Promise<void> {
    const at = Date.now();
    if (at - this.#lastTouch < TOUCH_INTERVAL_MS) return;
    this.#lastTouch = at;
    const now = this.now();
    await this.db.updateTable("agent_runs").set({ last_progress_at: now, updated_at: now }).where("id", "=", this.runId).execute();
  }
}
