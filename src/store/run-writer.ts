import { type Kysely, sql } from "kysely";
import { RunAlreadyTerminalError } from "../errors/run-already-terminal-error.js";
import { RunStartFailedError } from "../errors/run-start-failed-error.js";
import type { RunStatus } from "../types/run-status.js";
import { logger } from "../util/logger.js";
import { newRowId } from "../util/ulid.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";
import { type BatchAnchor, type BatchRow, type BatchTable, commitBatchPostgres, commitBatchSqlite } from "./evidence-batch.js";
import { signalEvents } from "./live/event-signals.js";
import { totalsColumns } from "./rows.js";
import { retryTransient } from "./retry.js";
import type { Database } from "./schema.js";

/** Evidence tables a run appends to besides `run_events`. */
export type EvidenceTable = Exclude<BatchTable, "run_events">;

/** Token counts one LLM call adds to the run's running totals. */
export interface UsageDelta {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number | null;
  readonly cacheReadInputTokens: number | null;
  readonly cacheCreationInputTokens: number | null;
  readonly reasoningTokens: number | null;
  readonly iteration: number;
}

/** A status change a commit carries, with the event that announces it. */
export interface RunTransition {
  readonly from: readonly RunStatus[];
  readonly to: RunStatus;
  readonly values: Record<string, unknown>;
  /** The change happens only if no cancel was requested meanwhile (a pause must not hide one). */
  readonly unlessCancelRequested?: boolean;
  readonly event: { readonly type: string; readonly data: unknown; readonly iteration?: number };
}

interface Pending {
  rows: Map<BatchTable, BatchRow[]>;
  usage: { input: number; output: number; cost: number | null; cacheRead: number | null; cacheCreation: number | null; reasoning: number | null; iteration: number } | null;
  mapping: string | null;
  /** Counters when this batch started: where numbering resumes if it is never written. */
  firstSequence: number;
  firstOrder: number;
}

const sumNullable = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);

/**
 * The run's own writer, held by the process executing it. A step's evidence
 * (traces, events, the LLM interaction and its usage, tool calls) is buffered
 * and committed at the step's boundary — before a tool runs, before a pause or
 * the end is reported — as one transaction, on PostgreSQL one statement.
 *
 * Every commit is anchored on the run row: `UPDATE agent_runs SET
 * last_progress_at = … WHERE id = … AND status = 'running' RETURNING
 * cancel_requested`. It renews the lease, picks up a cancel requested from
 * another process, and writes nothing when someone else finalized the run —
 * which the run then learns at once (`lost`).
 *
 * The writer owns the run's numbering (`sequence_index`, `order_index`),
 * continuing from what the database holds; a unique index on
 * `(agent_run_id, sequence_index)` makes a duplicate impossible.
 */
export class RunWriter {
  readonly db: Kysely<Database>;
  readonly adapter: StoreAdapter;
  readonly runId: string;
  #nextSequence: number;
  #nextOrder: number;
  #pending: Pending;
  #cancelRequested = false;
  /** Called when a commit finds a cancel requested: the run stops at once. */
  onCancelRequested: (() => void) | null = null;
  #lost: RunAlreadyTerminalError | null = null;
  /** A commit that failed for good (its evidence is lost). */
  #broken: unknown = null;
  /** Commits go out one at a time, in call order. */
  #queue: Promise<unknown> = Promise.resolve();
  /** A new run's row, inserted by its first commit; `null` once the run is recorded. */
  #unrecorded: Record<string, unknown> | null = null;
  #recordTimer: NodeJS.Timeout | null = null;

  constructor(db: Kysely<Database>, adapter: StoreAdapter, runId: string, options: { nextSequence?: number; nextOrder?: number } = {}) {
    this.db = db;
    this.adapter = adapter;
    this.runId = runId;
    this.#nextSequence = options.nextSequence ?? 0;
    this.#nextOrder = options.nextOrder ?? 0;
    this.#pending = this.#empty();
  }

  /** A writer for a run this process just claimed: numbering continues from what the database holds. */
  static async resume(db: Kysely<Database>, adapter: StoreAdapter, runId: string): Promise<RunWriter> {
    const seq = await db.selectFrom("run_events").select((eb) => eb.fn.max("sequence_index").as("m")).where("agent_run_id", "=", runId).executeTakeFirst();
    const ord = await db.selectFrom("react_traces").select((eb) => eb.fn.max("order_index").as("m")).where("agent_run_id", "=", runId).executeTakeFirst();
    const next = (m: unknown) => (m === null || m === undefined ? 0 : Number(m) + 1);
    return new RunWriter(db, adapter, runId, { nextSequence: next(seq?.m), nextOrder: next(ord?.m) });
  }

  #empty(): Pending {
    return { rows: new Map(), usage: null, mapping: null, firstSequence: this.#nextSequence, firstOrder: this.#nextOrder };
  }

  now(): string | Date {
    return this.adapter.timestamp(new Date());
  }

  /** Set once a commit found the run finalized by someone else. */
  get lost(): RunAlreadyTerminalError | null {
    return this.#lost;
  }

  /** What the run row said at the last commit or heartbeat. */
  get cancelRequested(): boolean {
    return this.#cancelRequested;
  }

  /** True while evidence waits for the next commit. */
  get hasPending(): boolean {
    const p = this.#pending;
    return p.rows.size > 0 || p.usage !== null || p.mapping !== null;
  }

  #push(table: BatchTable, row: BatchRow): void {
    const rows = this.#pending.rows.get(table);
    if (rows) rows.push(row);
    else this.#pending.rows.set(table, [row]);
  }

  #eventRow(eventType: string, data: unknown, iteration: number, correlationId: string | null): BatchRow {
    return {
      id: newRowId(),
      agent_run_id: this.runId,
      event_type: eventType,
      sequence_index: this.#nextSequence++,
      iteration_index: iteration,
      correlation_id: correlationId,
      data: this.adapter.json(data),
      created_at: this.now(),
    };
  }

  /** Buffers an event; it takes the next number now and is written at the next commit. */
  event(eventType: string, data: unknown, iteration = 0, correlationId: string | null = null): void {
    this.#push("run_events", this.#eventRow(eventType, data, iteration, correlationId));
  }

  /** Writes one event now: `event` and `flush` in one call. */
  async emit(eventType: string, data: unknown, iteration = 0, correlationId: string | null = null): Promise<void> {
    this.event(eventType, data, iteration, correlationId);
    await this.flush();
  }

  /** Buffers a trace (one message of the conversation). */
  trace(role: string, content: string, meta: Record<string, unknown>): void {
    const now = this.now();
    this.#push("react_traces", { id: newRowId(), agent_run_id: this.runId, role, content, order_index: this.#nextOrder++, meta: this.adapter.json(meta), created_at: now, updated_at: now });
  }

  /** Buffers an evidence row. */
  append(table: EvidenceTable, values: BatchRow): void {
    this.#push(table, values);
  }

  /** Adds an LLM call's tokens to the run's totals at the next commit, so a run in progress shows what it spent. */
  addUsage(delta: UsageDelta): void {
    const u = this.#pending.usage;
    this.#pending.usage = {
      input: (u?.input ?? 0) + delta.inputTokens,
      output: (u?.output ?? 0) + delta.outputTokens,
      cost: sumNullable(u?.cost ?? null, delta.costUsd),
      cacheRead: sumNullable(u?.cacheRead ?? null, delta.cacheReadInputTokens),
      cacheCreation: sumNullable(u?.cacheCreation ?? null, delta.cacheCreationInputTokens),
      reasoning: sumNullable(u?.reasoning ?? null, delta.reasoningTokens),
      iteration: Math.max(u?.iteration ?? 0, delta.iteration),
    };
  }

  /** The run's PII mapping, written with (never after) the first rows that may hold its placeholders. */
  saveMapping(mapping: Readonly<Record<string, string>>): void {
    this.#pending.mapping = this.adapter.json(mapping);
  }

  #usageSet(usage: Pending["usage"]): Record<string, unknown> {
    if (!usage) return {};
    return {
      total_input_tokens: sql`total_input_tokens + ${usage.input}`,
      total_output_tokens: sql`total_output_tokens + ${usage.output}`,
      ...(usage.cost !== null ? { total_cost_usd: sql`COALESCE(total_cost_usd, 0) + ${usage.cost}` } : {}),
      ...(usage.cacheRead !== null ? { total_cache_read_tokens: sql`COALESCE(total_cache_read_tokens, 0) + ${usage.cacheRead}` } : {}),
      ...(usage.cacheCreation !== null ? { total_cache_creation_tokens: sql`COALESCE(total_cache_creation_tokens, 0) + ${usage.cacheCreation}` } : {}),
      ...(usage.reasoning !== null ? { total_reasoning_tokens: sql`COALESCE(total_reasoning_tokens, 0) + ${usage.reasoning}` } : {}),
      iteration_count: sql`CASE WHEN iteration_count < ${usage.iteration} THEN ${usage.iteration} ELSE iteration_count END`,
      updated_at: this.now(),
    };
  }

  /** The commit's anchor on the run row: still in one of `statuses`, and ours. */
  #leaseAnchor(batch: Pending, statuses: readonly RunStatus[], values: Record<string, unknown> = {}, unlessCancelRequested = false): BatchAnchor {
    const set = {
      last_progress_at: this.now(),
      ...this.#usageSet(batch.usage),
      ...(batch.mapping !== null ? { pii_mapping: batch.mapping } : {}),
      ...values,
    };
    return (db) => {
      let query = db.updateTable("agent_runs").set(set as never).where("id", "=", this.runId);
      query = statuses.length === 1 ? query.where("status", "=", statuses[0]!) : query.where("status", "in", [...statuses]);
      if (unlessCancelRequested) query = query.where("cancel_requested", "=", this.adapter.bool(false) as never);
      return query.returning("cancel_requested");
    };
  }

  /** Runs `work` after every commit queued before it. */
  #inOrder<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Takes what is buffered; what is pushed from now on goes to the next commit. */
  #take(): Pending {
    const batch = this.#pending;
    this.#pending = this.#empty();
    return batch;
  }

  /** Puts a batch that was not written back in front of what was buffered since, its numbers unchanged. */
  #restore(batch: Pending): void {
    const later = this.#pending;
    this.#pending = batch;
    for (const [table, rows] of later.rows) for (const row of rows) this.#push(table, row);
    if (later.mapping !== null) batch.mapping = later.mapping;
    const u = later.usage;
    if (u) {
      this.addUsage({
        inputTokens: u.input,
        outputTokens: u.output,
        costUsd: u.cost,
        cacheReadInputTokens: u.cacheRead,
        cacheCreationInputTokens: u.cacheCreation,
        reasoningTokens: u.reasoning,
        iteration: u.iteration,
      });
    }
  }

  /** A batch that can never be written: its numbers are given back, so the run's numbering stays contiguous. */
  #drop(batch: Pending): void {
    this.#nextSequence = batch.firstSequence;
    this.#nextOrder = batch.firstOrder;
    this.#pending = this.#empty();
  }

  async #execute(anchor: BatchAnchor, batch: Pending): Promise<{ cancelRequested: boolean } | null> {
    const { adapter, db } = this;
    return adapter.kind === "postgres"
      ? commitBatchPostgres(db, this.runId, anchor, batch)
      : commitBatchSqlite(db, anchor, batch, (v) => adapter.readBool(v));
  }

  /** After a retried commit met a duplicate key: did the first attempt land? (Its rows carry unique ids.) */
  async #landed(batch: Pending): Promise<boolean> {
    for (const [table, rows] of batch.rows) {
      const id = rows[0]?.id;
      if (typeof id !== "string") continue;
      const found = await this.db.selectFrom(table).select("id").where("id", "=", id).executeTakeFirst();
      return found !== undefined;
    }
    return false;
  }

  /**
   * One commit, retried on transient errors (a retry keeps every id and
   * number, so a first attempt that did land is recognised, not doubled). When
   * a row the run can do without makes the commit fail, it is committed again
   * without those rows.
   */
  async #commit(label: string, anchorFor: (batch: Pending) => BatchAnchor, batch: Pending): Promise<{ cancelRequested: boolean } | null> {
    const attempt = async (b: Pending) => {
      let tries = 0;
      return retryTransient(this.adapter, label, this.runId, async () => {
        try {
          return await this.#execute(anchorFor(b), b);
        } catch (error) {
          if (tries++ > 0 && this.adapter.isDuplicateKey(error) && (await this.#landed(b))) return { cancelRequested: this.#cancelRequested };
          throw error;
        }
      });
    };
    let failure: unknown;
    try {
      return await attempt(batch);
    } catch (error) {
      failure = error;
    }
    // The best-effort rows go one kind at a time: the LLM interaction, then the usage row and totals.
    const fallbacks: Pending[] = [];
    if (batch.rows.has("llm_interactions")) fallbacks.push(this.#without(batch, ["llm_interactions"], false));
    if (batch.rows.has("token_usage") || batch.usage) fallbacks.push(this.#without(batch, ["llm_interactions", "token_usage"], true));
    for (const fallback of fallbacks) {
      if (this.adapter.isTransient(failure)) break;
      logger.warn(`Failed to save an LLM interaction or its usage for run ${this.runId}; saving the rest without it`, failure);
      try {
        return await attempt(fallback);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }

  #without(batch: Pending, tables: readonly BatchTable[], dropUsage: boolean): Pending {
    return { ...batch, usage: dropUsage ? null : batch.usage, rows: new Map([...batch.rows].filter(([t]) => !tables.includes(t))) };
  }

  #afterCommit(batch: Pending, result: { cancelRequested: boolean }): void {
    this.#cancelRequested = result.cancelRequested;
    if (result.cancelRequested) this.onCancelRequested?.();
    const events = batch.rows.get("run_events");
    if (events && events.length > 0) signalEvents(this.runId, Number(events[events.length - 1]!.sequence_index));
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

  /**
   * Commits what is buffered, anchored on the lease; nothing buffered means
   * nothing to do. Throws the lease's loss when the run is no longer ours. A
   * commit that failed for good is final: its evidence is gone, so every later
   * flush throws the same error and no tool runs on a trail with a hole.
   */
  flush(): Promise<void> {
    return this.#inOrder(async () => {
      if (this.#lost) throw this.#lost;
      if (this.#broken) throw this.#broken;
      if (!this.hasPending && this.#unrecorded === null) return;
      const batch = this.#take();
      let result: { cancelRequested: boolean } | null;
      try {
        result = await this.#commit(this.#unrecorded ? "create_run" : "save_step", (b) => this.#anchor(b, ["running"]), batch);
      } catch (error) {
        this.#drop(batch);
        this.#broken = this.#startFailure(error);
        throw this.#broken;
      }
      if (!result) {
        this.#drop(batch);
        throw await this.markLost();
      }
      this.#markRecorded();
      this.#afterCommit(batch, result);
    });
  }

  /**
   * Renews the lease alone (the heartbeat): `last_progress_at`, and the run's
   * cancel flag read back. Buffered evidence waits for its step's boundary.
   */
  async renewLease(): Promise<void> {
    if (this.#lost) throw this.#lost;
    // Not recorded yet: there is no lease to renew, so record the run now.
    if (this.#unrecorded) return this.flush();
    const row = await this.db
      .updateTable("agent_runs")
      .set({ last_progress_at: this.now() })
      .where("id", "=", this.runId)
      .where("status", "=", "running")
      .returning("cancel_requested")
      .executeTakeFirst();
    if (!row) throw await this.markLost();
    this.#cancelRequested = this.adapter.readBool(row.cancel_requested);
    if (this.#cancelRequested) this.onCancelRequested?.();
  }

  /**
   * Makes this writer the one that creates its run: `row` (the new
   * `agent_runs` row) is inserted by the first commit, together with whatever
   * that commit carries, so a quick first step costs one commit, not two.
   * Within `withinMs` the run is recorded even if no step boundary came (`0`:
   * right away), so a run waiting on a slow first model call is visible.
   * Resolves once recorded when `withinMs` is 0.
   */
  record(row: Record<string, unknown>, withinMs: number): Promise<void> {
    this.#unrecorded = row;
    if (withinMs <= 0) return this.flush();
    this.#recordTimer = setTimeout(() => {
      this.#recordTimer = null;
      // A failure is kept (`#broken`) and thrown at the run's next commit.
      this.flush().catch(() => undefined);
    }, withinMs);
    this.#recordTimer.unref();
    return Promise.resolve();
  }

  /** The insert creating the run, with what the first commit adds to its row. */
  #creationAnchor(row: Record<string, unknown>, batch: Pending, values: Record<string, unknown>): BatchAnchor {
    const u = batch.usage;
    const now = this.now();
    const created = {
      ...row,
      last_progress_at: now,
      ...(u
        ? {
            ...totalsColumns({ inputTokens: u.input, outputTokens: u.output, costUsd: u.cost, cacheReadInputTokens: u.cacheRead, cacheCreationInputTokens: u.cacheCreation, reasoningTokens: u.reasoning }),
            iteration_count: u.iteration,
            updated_at: now,
          }
        : {}),
      ...(batch.mapping !== null ? { pii_mapping: batch.mapping } : {}),
      ...values,
    };
    return (db) => db.insertInto("agent_runs").values(created as never).returning("cancel_requested");
  }

  /** The anchor of a commit: the run row's update, or its insert while the run is not recorded yet. */
  #anchor(batch: Pending, statuses: readonly RunStatus[], values: Record<string, unknown> = {}, unlessCancelRequested = false): BatchAnchor {
    const row = this.#unrecorded;
    return row ? this.#creationAnchor(row, batch, values) : this.#leaseAnchor(batch, statuses, values, unlessCancelRequested);
  }

  /** After the first commit: the run exists. */
  #markRecorded(): void {
    this.#unrecorded = null;
    if (this.#recordTimer) clearTimeout(this.#recordTimer);
    this.#recordTimer = null;
  }

  /** A failed commit that was to create the run means the run could not start: nothing was recorded and no tool ran. */
  #startFailure(error: unknown): unknown {
    if (this.#unrecorded === null || error instanceof RunStartFailedError) return error;
    return new RunStartFailedError({ runId: this.runId, cause: error });
  }

  /**
   * The run's own status change, what is buffered and the event announcing the
   * change, in one transaction. `false` when the compare-and-set did not match:
   * then nothing was written and the buffered evidence waits for the next commit.
   */
  transition(change: RunTransition): Promise<boolean> {
    return this.#inOrder(async () => {
      const batch = this.#take();
      const announced = this.#eventRow(change.event.type, change.event.data, change.event.iteration ?? 0, null);
      const withEvent: Pending = { ...batch, rows: new Map(batch.rows) };
      withEvent.rows.set("run_events", [...(batch.rows.get("run_events") ?? []), announced]);
      let result: { cancelRequested: boolean } | null;
      try {
        result = await this.#commit(`finalize_${change.to}`, (b) => this.#anchor(b, change.from, { ...change.values, status: change.to }, change.unlessCancelRequested), withEvent);
      } catch (error) {
        this.#drop(batch);
        throw this.#startFailure(error);
      }
      if (!result) {
        // Not written: the evidence waits for the next commit; the announcing event's number is
        // given back (nothing is buffered during a transition: the run's loop has stopped).
        if (this.#nextSequence === Number(announced.sequence_index) + 1) this.#nextSequence = Number(announced.sequence_index);
        this.#restore(batch);
        return false;
      }
      this.#markRecorded();
      this.#afterCommit(withEvent, result);
      return true;
    });
  }
}

/**
 * A status change made by someone who does not hold the run (a sweep, a cancel
 * of a paused run) and its event, in one transaction. The event takes the next
 * number after the compare-and-set, so it follows everything the run wrote.
 */
export async function finalizeFromOutside(
  db: Kysely<Database>,
  adapter: StoreAdapter,
  runId: string,
  label: string,
  transition: (db: Kysely<Database>) => Promise<boolean>,
  event: { readonly type: string; readonly data: unknown; readonly iteration?: number },
): Promise<boolean> {
  let written: number | null = null;
  const won = await retryTransient(adapter, label, runId, () =>
    db.transaction().execute(async (trx) => {
      written = null;
      if (!(await transition(trx))) return false;
      const result = await adapter
        .notifyingEventInsert(
          sql<{ sequence_index: number }>`
          INSERT INTO run_events (id, agent_run_id, event_type, sequence_index, iteration_index, correlation_id, data, created_at)
          SELECT ${newRowId()}, ${runId}, ${event.type}, COALESCE(MAX(sequence_index) + 1, 0), ${event.iteration ?? 0}, NULL, ${adapter.json(event.data)}, ${adapter.timestamp(new Date())}
          FROM run_events WHERE agent_run_id = ${runId}
          RETURNING sequence_index`,
          runId,
        )
        .execute(trx);
      written = Number(result.rows[0]?.sequence_index);
      return true;
    }),
  );
  if (won && written !== null) signalEvents(runId, written);
  return won;
}
