import { sql } from "kysely";
import { withDatabase } from "./backends.js";

export interface SyntheticRun {
  readonly id: string;
  readonly createdAt: Date;
  readonly status?: string;
  readonly agentName?: string;
  readonly tenantId?: string | null;
  readonly parentRunId?: string | null;
  readonly meta?: Record<string, unknown> | null;
}

/** Inserts runs straight into `agent_runs` (500 per statement), then refreshes the planner's statistics. */
export async function insertRuns(url: string, runs: readonly SyntheticRun[]): Promise<void> {
  await withDatabase(url, async (db, a) => {
    for (let from = 0; from < runs.length; from += 500) {
      const rows = runs.slice(from, from + 500).map((r) => {
        const at = a.timestamp(r.createdAt);
        return {
          id: r.id,
          tenant_id: r.tenantId ?? null,
          agent_name: r.agentName ?? "Agent",
          status: r.status ?? "success",
          input_data: a.json({ input: "hi" }),
          output_data: a.json({ answer: "hello" }),
          iteration_count: 1,
          model: "mock",
          strategy: "NativeToolCalling",
          parent_run_id: r.parentRunId ?? null,
          delegation_level: r.parentRunId ? 1 : 0,
          retry_of_run_id: null,
          total_input_tokens: 10,
          total_output_tokens: 5,
          total_cost_usd: null,
          total_cache_read_tokens: 0,
          total_cache_creation_tokens: 0,
          total_reasoning_tokens: 0,
          meta: r.meta === null ? null : a.json(r.meta ?? {}),
          pause_data: null,
          pii_mapping: null,
          error: null,
          last_progress_at: at,
          failure_reason: null,
          idempotency_key: null,
          idempotency_fingerprint: null,
          cancel_requested: a.bool(false),
          created_at: at,
          updated_at: at,
        };
      });
      await db.insertInto("agent_runs").values(rows).execute();
    }
    await sql.raw(a.kind === "sqlite" ? "ANALYZE" : "ANALYZE agent_runs").execute(db);
  });
}
