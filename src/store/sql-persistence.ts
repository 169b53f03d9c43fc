import type { Kysely } from "kysely";
import { IdempotencyConflictError } from "../errors/idempotency-conflict-error.js";
import { RunAlreadyActiveError } from "../errors/run-already-active-error.js";
import { RunStartFailedError } from "../errors/run-start-failed-error.js";
import type { CreateRunInput, OpenResumeInput, Persistence, ResumeOpening, StoredRun, StoredTrace } from "../runtime/persistence.js";
import type { JournalOpening } from "../runtime/runner.js";
import { isTerminalStatus, type RunStatus, TERMINAL_STATUSES, WAITING_STATUSES } from "../types/run-status.js";
import type { RunResult } from "../types/run-result.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";
import { retryTransient } from "./retry.js";
import { finalizeFromOutside, RunWriter } from "./run-writer.js";
import { readCost } from "./rows.js";
import type { AgentRunsRow, Database } from "./schema.js";
import { SqlJournal } from "./sql-journal.js";

/** The runtime's persistence on SQL: run rows, claims and journals. */
export class SqlPersistence implements Persistence {
  readonly identity: string;
  readonly db: Kysely<Database>;
  readonly adapter: StoreAdapter;
  readonly #owned: boolean;

  constructor(db: Kysely<Database>, adapter: StoreAdapter, identity: string, owned: boolean) {
    this.db = db;
    this.adapter = adapter;
    this.identity = identity;
    this.#owned = owned;
  }

  #now(): string | Date {
    return this.adapter.timestamp(new Date());
  }

  async #findByKey(key: string) {
    return this.db.selectFrom("agent_runs").selectAll().where("idempotency_key", "=", key).executeTakeFirst();
  }

  #cachedResult(row: AgentRunsRow): RunResult {
    const stored = this.#toStoredRun(row);
    return {
      runId: row.id,
      status: stored.status,
      answer: stored.answer,
      error: stored.error,
      iterationCount: stored.iterationCount,
      usage: stored.usage,
      warnings: [],
    };
  }

  /** An existing row for this key decides the outcome; `null` means: go ahead and insert. */
  #checkIdempotency(row: AgentRunsRow | undefined, input: CreateRunInput): JournalOpening | null {
    if (!row) return null;
    if (row.idempotency_fingerprint !== input.idempotencyFingerprint) {
      throw new IdempotencyConflictError({ runId: row.id, idempotencyKey: input.idempotencyKey! });
    }
    if (isTerminalStatus(row.status)) return { cachedResult: this.#cachedResult(row) };
    throw new RunAlreadyActiveError({ runId: row.id, currentStatus: row.status as RunStatus });
  }

  async createRun(input: CreateRunInput): Promise<JournalOpening> {
    const { adapter, db } = this;
    if (input.idempotencyKey) {
      const decided = this.#checkIdempotency(await this.#findByKey(input.idempotencyKey), input);
      if (decided) return decided;
    }
    const meta: Record<string, unknown> = { ...(input.metadata ?? {}) };
    meta["dendrux.loop"] = input.agent.loop.name;
    if (input.retryOfRunId) {
      meta["dendrux.retry_of"] = input.retryOfRunId;
    } else {
      if (input.maxDelegationDepth !== null) meta["dendrux.max_delegation_depth"] = input.maxDelegationDepth;
      if (input.outputTypeName) meta["dendrux.output_type"] = input.outputTypeName;
    }
    const now = new Date();
    const row = {
      id: input.runId,
      tenant_id: input.tenantId,
      agent_name: input.agent.name,
      status: "running",
      input_data: adapter.json({ input: input.userInput }),
      iteration_count: 0,
      model: input.agent.model,
      strategy: input.agent.strategy.name,
      parent_run_id: input.parentRunId,
      delegation_level: input.delegationLevel,
      retry_of_run_id: input.retryOfRunId ?? null,
      total_input_tokens: 0,
      total_output_tokens: 0,
      total_cost_usd: null,
      total_cache_read_tokens: 0,
      total_cache_creation_tokens: 0,
      total_reasoning_tokens: 0,
      meta: adapter.json(meta),
      last_progress_at: adapter.timestamp(now),
      idempotency_key: input.idempotencyKey,
      idempotency_fingerprint: input.idempotencyFingerprint,
      cancel_requested: adapter.bool(false),
      created_at: adapter.timestamp(now),
      updated_at: adapter.timestamp(now),
    };
    // The run row and its first event are committed together (never a run without `run.started`),
    // with the first step's evidence when that step is quick (see `recordWithinMs`).
    const writer = new RunWriter(db, adapter, input.runId);
    writer.event("run.started", {
      agent_name: input.agent.name,
      system_prompt: input.systemPrompt,
      ...(input.retryOfRunId ? { retry_of: input.retryOfRunId } : {}),
    });
    try {
      await writer.record(row, input.recordWithinMs);
    } catch (error) {
      // A concurrent run with the same key inserted first: decide against its row.
      if (input.idempotencyKey && adapter.isUniqueViolation(error instanceof RunStartFailedError ? error.cause : error)) {
        const decided = this.#checkIdempotency(await this.#findByKey(input.idempotencyKey), input);
        if (decided) return decided;
      }
      throw error;
    }
    return { journal: new SqlJournal(writer, input.agent, this.identity, input.controller) };
  }

  #toStoredRun(row: AgentRunsRow): StoredRun {
    const meta = (this.adapter.readJson(row.meta) ?? {}) as Record<string, unknown>;
    const output = this.adapter.readJson(row.output_data) as { answer?: unknown } | null;
    const depth = meta["dendrux.max_delegation_depth"];
    return {
      runId: row.id,
      agentName: row.agent_name,
      status: row.status as RunStatus,
      pauseData: this.adapter.readJson(row.pause_data),
      cancelRequested: this.adapter.readBool(row.cancel_requested),
      iterationCount: row.iteration_count,
      answer: output && typeof output === "object" && typeof output.answer === "string" ? output.answer : null,
      error: row.error,
      failureReason: row.failure_reason,
      usage: {
        inputTokens: row.total_input_tokens,
        outputTokens: row.total_output_tokens,
        totalTokens: row.total_input_tokens + row.total_output_tokens,
        costUsd: readCost(row.total_cost_usd),
        cacheReadInputTokens: row.total_cache_read_tokens,
        cacheCreationInputTokens: row.total_cache_creation_tokens,
        reasoningTokens: Number(row.total_reasoning_tokens ?? 0),
      },
      delegationLevel: row.delegation_level,
      maxDelegationDepth: typeof depth === "number" ? depth : null,
      piiMapping: (this.adapter.readJson(row.pii_mapping) as Record<string, string> | null) ?? {},
    };
  }

  async getRun(runId: string): Promise<StoredRun | null> {
    const row = await this.db.selectFrom("agent_runs").selectAll().where("id", "=", runId).executeTakeFirst();
    return row ? this.#toStoredRun(row) : null;
  }

  async getRunMeta(runId: string): Promise<Record<string, unknown> | null> {
    const row = await this.db.selectFrom("agent_runs").select("meta").where("id", "=", runId).executeTakeFirst();
    const meta = row ? this.adapter.readJson(row.meta) : null;
    return meta && typeof meta === "object" && !Array.isArray(meta) ? (meta as Record<string, unknown>) : null;
  }

  async getTraces(runId: string): Promise<StoredTrace[]> {
    const rows = await this.db.selectFrom("react_traces").select(["role", "content", "meta"]).where("agent_run_id", "=", runId).orderBy("order_index").execute();
    return rows.map((r) => ({ role: r.role, content: r.content, meta: (this.adapter.readJson(r.meta) as Record<string, unknown> | null) ?? null }));
  }

  async claim(runId: string, expected: RunStatus, merge?: Record<string, unknown>, piiMapping?: Record<string, string>): Promise<boolean> {
    const { db, adapter } = this;
    let pauseData: unknown;
    if (merge) {
      const row = await db.selectFrom("agent_runs").select(["pause_data", "status"]).where("id", "=", runId).executeTakeFirst();
      const current = row ? adapter.readJson(row.pause_data) : null;
      if (!row || row.status !== expected || !current || typeof current !== "object") return false;
      pauseData = { ...(current as Record<string, unknown>), ...merge };
    }
    const now = this.#now();
    // One statement, so the compare-and-set is atomic on every engine. The claim
    // also refreshes liveness, so a just-resumed run is never swept as stale.
    const result = await retryTransient(adapter, "claim_paused_run", runId, () =>
      db
        .updateTable("agent_runs")
        .set({
          status: "running",
          last_progress_at: now,
          updated_at: now,
          ...(merge ? { pause_data: adapter.json(pauseData) } : {}),
          ...(piiMapping ? { pii_mapping: adapter.json(piiMapping) } : {}),
        })
        .where("id", "=", runId)
        .where("status", "=", expected)
        .where("cancel_requested", "=", adapter.bool(false))
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) > 0;
  }

  async openResume(input: OpenResumeInput): Promise<ResumeOpening> {
    const writer = await RunWriter.resume(this.db, this.adapter, input.runId);
    writer.event("run.resumed", { resumed_from: input.resumedFrom, ...input.resumedData });
    const fired = await this.db
      .selectFrom("run_events")
      .select(["event_type", "data"])
      .where("agent_run_id", "=", input.runId)
      .where("event_type", "in", ["budget.threshold", "budget.exceeded"])
      .execute();
    const budgetFired = fired.map((e) => {
      if (e.event_type === "budget.exceeded") return "exceeded";
      const data = this.adapter.readJson(e.data) as { fraction?: unknown } | null;
      return String(data?.fraction);
    });
    return { journal: new SqlJournal(writer, input.agent, this.identity, input.controller), budgetFired };
  }

  async requestCancel(runId: string): Promise<void> {
    const now = this.#now();
    await retryTransient(this.adapter, "request_cancel", runId, () =>
      this.db
        .updateTable("agent_runs")
        .set({ cancel_requested: this.adapter.bool(true), updated_at: now })
        .where("id", "=", runId)
        .where("status", "not in", [...TERMINAL_STATUSES])
        .execute(),
    );
  }

  async cancelPaused(runId: string): Promise<boolean> {
    const { adapter, db } = this;
    // The status change and its event in one transaction: never one without the other.
    return finalizeFromOutside(
      db,
      adapter,
      runId,
      "finalize_run_if_status_in",
      async (trx) => {
        const result = await trx
          .updateTable("agent_runs")
          .set({ status: "cancelled", pause_data: adapter.json(null), cancel_requested: adapter.bool(false), updated_at: this.#now() })
          .where("id", "=", runId)
          .where("status", "in", [...WAITING_STATUSES])
          .executeTakeFirst();
        return Number(result.numUpdatedRows) > 0;
      },
      { type: "run.cancelled", data: { reason: "cancel_requested" } },
    );
  }

  async close(): Promise<void> {
    if (this.#owned) await this.db.destroy();
  }
}
