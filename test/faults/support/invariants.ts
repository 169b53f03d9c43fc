/**
 * What the fault suite checks after every storm, straight from the tables
 * (around dendrux on purpose, so a bug in `RunStore` cannot hide one in the data).
 */
import { readFileSync, existsSync } from "node:fs";
import { withDatabase } from "../../support/backends.js";

const CHILD_TABLES = ["react_traces", "tool_calls", "token_usage", "llm_interactions", "run_events"] as const;
/** Events that end a run; a finished run has exactly one, and it is its last. */
export const TERMINAL_EVENTS: ReadonlySet<string> = new Set(["run.completed", "run.error", "run.cancelled", "run.interrupted", "run.abandoned"]);
const TERMINAL_STATUSES = new Set(["success", "error", "cancelled", "max_iterations"]);

const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value);

/** One `runId callId` line per tool execution that reached its side effect. */
export function readEffects(file: string): { runId: string; callId: string }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const [runId, callId] = line.split(" ");
      return { runId: runId!, callId: callId! };
    });
}

export interface Audit {
  readonly runs: number;
  readonly byStatus: Record<string, number>;
  /** Rows of child tables whose run does not exist, per table. */
  readonly orphans: Record<string, number>;
  /** Human-readable broken invariants; empty when everything holds. */
  readonly violations: string[];
  /**
   * Finished runs with no terminal event at all: the process died between the
   * status change and the event, which are two separate writes today. Kept apart
   * from `violations` (see `finalize-atomic.test.ts`, which pins the defect down).
   */
  readonly finishedWithoutTerminalEvent: string[];
  readonly effects: number;
  /** Side effects whose call has no `tool_calls` row (covered by the model's recorded request instead). */
  readonly effectsWithoutToolRow: number;
  readonly toolRows: number;
}

/**
 * Checks every run in the database:
 * - no child row without its run, no run left `running`;
 * - `run_events.sequence_index` and `react_traces.order_index` are 0..n-1 per run;
 * - a finished run has exactly one terminal event, last;
 * - no call has two `tool_calls` rows;
 * - every side effect `(run, call)` has its `tool_calls` row, or else the assistant
 *   trace that asked for that call id: both are fail-closed and the trace is
 *   written before the tool starts, so an effect with neither means a tool ran
 *   that the audit trail cannot show.
 */
export async function audit(url: string, effects: readonly { runId: string; callId: string }[], options: { allowRunning?: boolean } = {}): Promise<Audit> {
  return withDatabase(url, async (db) => {
    const violations: string[] = [];
    const runs = await db.selectFrom("agent_runs").select(["id", "status"]).execute();
    const runIds = new Set(runs.map((r) => r.id));
    const byStatus: Record<string, number> = {};
    for (const r of runs) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    if (!options.allowRunning && (byStatus.running ?? 0) > 0) violations.push(`${byStatus.running} run(s) still running`);

    const orphans: Record<string, number> = {};
    for (const table of CHILD_TABLES) {
      const rows = await db.selectFrom(table).select("agent_run_id").execute();
      orphans[table] = rows.filter((r) => !runIds.has(r.agent_run_id)).length;
      if (orphans[table] > 0) violations.push(`${orphans[table]} orphan row(s) in ${table}`);
    }

    const events = await db.selectFrom("run_events").select(["agent_run_id", "event_type", "sequence_index"]).orderBy("sequence_index").execute();
    const traces = await db.selectFrom("react_traces").select(["agent_run_id", "role", "order_index", "meta"]).orderBy("order_index").execute();
    const tools = await db.selectFrom("tool_calls").select(["agent_run_id", "tool_call_id"]).execute();
    const group = <T extends { agent_run_id: string }>(rows: readonly T[]) => {
      const map = new Map<string, T[]>();
      for (const row of rows) map.set(row.agent_run_id, [...(map.get(row.agent_run_id) ?? []), row]);
      return map;
    };
    const eventsByRun = group(events);
    const tracesByRun = group(traces);
    const toolKeys = new Set<string>();
    for (const t of tools) {
      const key = `${t.agent_run_id} ${t.tool_call_id}`;
      if (toolKeys.has(key)) violations.push(`call ${key} has two tool_calls rows`);
      toolKeys.add(key);
    }
    const requested = new Set<string>();
    const finishedWithoutTerminalEvent: string[] = [];
    for (const run of runs) {
      const seq = (eventsByRun.get(run.id) ?? []).map((e) => Number(e.sequence_index));
      if (seq.some((s, i) => s !== i)) violations.push(`run ${run.id}: event sequence ${JSON.stringify(seq)} is not 0..n-1`);
      const order = (tracesByRun.get(run.id) ?? []).map((t) => Number(t.order_index));
      if (order.some((o, i) => o !== i)) violations.push(`run ${run.id}: trace order ${JSON.stringify(order)} is not 0..n-1`);
      const types = (eventsByRun.get(run.id) ?? []).map((e) => e.event_type);
      const terminal = types.filter((t) => TERMINAL_EVENTS.has(t));
      if (TERMINAL_STATUSES.has(run.status)) {
        if (terminal.length === 0) finishedWithoutTerminalEvent.push(`run ${run.id} (${run.status}): ${JSON.stringify(types)}`);
        else if (terminal.length !== 1 || !TERMINAL_EVENTS.has(types.at(-1)!)) violations.push(`run ${run.id} (${run.status}): terminal events ${JSON.stringify(types)}`);
      } else if (terminal.length > 0) {
        violations.push(`run ${run.id} (${run.status}) has a terminal event: ${JSON.stringify(types)}`);
      }
      for (const t of tracesByRun.get(run.id) ?? []) {
        const meta = json(t.meta) as { tool_calls?: { id: string }[] } | null;
        if (t.role === "assistant") for (const c of meta?.tool_calls ?? []) requested.add(`${run.id} ${c.id}`);
      }
    }
    let effectsWithoutToolRow = 0;
    const seenEffects = new Set<string>();
    for (const e of effects) {
      const key = `${e.runId} ${e.callId}`;
      if (seenEffects.has(key)) violations.push(`call ${key} ran its side effect twice`);
      seenEffects.add(key);
      if (toolKeys.has(key)) continue;
      effectsWithoutToolRow += 1;
      if (!requested.has(key)) violations.push(`call ${key} ran but neither a tool_calls row nor the request for it is recorded`);
    }
    return { runs: runs.length, byStatus, orphans, violations, finishedWithoutTerminalEvent, effects: effects.length, effectsWithoutToolRow, toolRows: tools.length };
  });
}
