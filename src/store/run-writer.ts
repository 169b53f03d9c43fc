import type { Kysely } from "kysely";
import { newId } from "../util/ulid.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";
import { retryTransient } from "./retry.js";
import type { Database } from "./schema.js";

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

  /** Fail-closed event append. */
  async event(eventType: string, data: unknown, iteration = 0, correlationId: string | null = null): Promise<void> {
    const sequence = this.#nextSequence++;
    const id = newId();
    await retryTransient(this.adapter, `emit_${eventType}`, this.runId, () =>
      this.db
        .insertInto("run_events")
        .values({
          id,
          agent_run_id: this.runId,
          event_type: eventType,
          sequence_index: sequence,
          iteration_index: iteration,
          correlation_id: correlationId,
          data: this.adapter.json(data),
          created_at: this.now(),
        })
        .execute(),
    );
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

  /** Best-effort liveness mark (sweeps key on it). */
  async touch(): Promise<void> {
    const now = this.now();
    await this.db.updateTable("agent_runs").set({ last_progress_at: now, updated_at: now }).where("id", "=", this.runId).execute();
  }
}
