import { type Kysely, sql } from "kysely";
import type { RunStatus } from "../types/run-status.js";
import { WAITING_STATUSES } from "../types/run-status.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";
import { finalizeFromOutside } from "./run-writer.js";
import type { Database } from "./schema.js";

/** One run a sweep finalized. */
export interface SweptRun {
  readonly runId: string;
  readonly agentName: string;
  readonly previousStatus: RunStatus;
  readonly failureReason: "stale_running" | "never_started" | "abandoned_waiting";
  readonly lastProgressAt: Date | null;
  readonly sweptAt: Date;
}

export interface SweepResult {
  readonly staleRunning: SweptRun[];
  readonly abandonedWaiting: SweptRun[];
}

/**
 * Finalizes as `error` the runs nobody will finish: `running` rows with no
 * progress since `staleCutoff` (their process died) and paused rows untouched
 * since `abandonedCutoff`. Each is one compare-and-set plus its event, so a
 * run that moved meanwhile is left alone.
 */
export async function sweepDatabase(
  db: Kysely<Database>,
  adapter: StoreAdapter,
  options: { now: Date; staleCutoff: Date | null; abandonedCutoff: Date | null },
): Promise<SweepResult> {
  const result: SweepResult = { staleRunning: [], abandonedWaiting: [] };
  const at = adapter.timestamp(options.now);
  if (options.staleCutoff) {
    const rows = await db
      .selectFrom("agent_runs")
      .select(["id", "agent_name", "iteration_count", "last_progress_at"])
      .select(sql<number>`(SELECT count(*) FROM run_events e WHERE e.agent_run_id = agent_runs.id AND e.event_type = 'run.started')`.as("started"))
      .where("status", "=", "running")
      .where(sql<boolean>`coalesce(last_progress_at, created_at) < ${adapter.timestamp(options.staleCutoff)}`)
      .execute();
    for (const row of rows) {
      const reason = Number(row.started) > 0 ? "stale_running" : "never_started";
      const swept = await finalizeFromOutside(
        db,
        adapter,
        row.id,
        "sweep_stale_running",
        async (trx) => {
          const updated = await trx
            .updateTable("agent_runs")
            .set({ status: "error", failure_reason: reason, error: `Run swept as ${reason}`, updated_at: at })
            .where("id", "=", row.id)
            .where("status", "=", "running")
            .executeTakeFirst();
          return Number(updated.numUpdatedRows) > 0;
        },
        { type: "run.interrupted", data: { failure_reason: reason }, iteration: row.iteration_count },
      );
      if (!swept) continue;
      result.staleRunning.push({
        runId: row.id,
        agentName: row.agent_name,
        previousStatus: "running",
        failureReason: reason,
        lastProgressAt: adapter.readTimestamp(row.last_progress_at),
        sweptAt: options.now,
      });
    }
  }
  if (options.abandonedCutoff) {
    const rows = await db
      .selectFrom("agent_runs")
      .select(["id", "agent_name", "status", "last_progress_at"])
      .where("status", "in", [...WAITING_STATUSES])
      .where("updated_at", "<", adapter.timestamp(options.abandonedCutoff))
      .execute();
    for (const row of rows) {
      const abandoned = await finalizeFromOutside(
        db,
        adapter,
        row.id,
        "sweep_abandoned_waiting",
        async (trx) => {
          const updated = await trx
            .updateTable("agent_runs")
            .set({ status: "error", failure_reason: "abandoned_waiting", updated_at: at })
            .where("id", "=", row.id)
            .where("status", "=", row.status)
            .executeTakeFirst();
          return Number(updated.numUpdatedRows) > 0;
        },
        { type: "run.abandoned", data: { failure_reason: "abandoned_waiting" } },
      );
      if (!abandoned) continue;
      result.abandonedWaiting.push({
        runId: row.id,
        agentName: row.agent_name,
        previousStatus: row.status as RunStatus,
        failureReason: "abandoned_waiting",
        lastProgressAt: adapter.readTimestamp(row.last_progress_at),
        sweptAt: options.now,
      });
    }
  }
  return result;
}
