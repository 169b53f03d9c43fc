import { type Kysely, sql } from "kysely";
import type { StoreAdapter } from "./dialect/store-dialect.js";
import { isoMicros } from "./precise-time.js";
import { readCost } from "./rows.js";
import type { AgentRunsRow, Database } from "./schema.js";

const ts = (a: StoreAdapter, v: unknown) => {
  const d = a.readTimestamp(v);
  return d ? isoMicros(d) : null;
};

type Json = Record<string, unknown>;

/**
 * The dashboard's reads: rows as the dashboard API shows them (row ids,
 * semantic payloads, pause counts), which `RunStore`'s records leave out.
 */
export class DashboardReader {
  readonly #db: Kysely<Database>;
  readonly #a: StoreAdapter;

  constructor(db: Kysely<Database>, adapter: StoreAdapter) {
    this.#db = db;
    this.#a = adapter;
  }

  #runItem(r: AgentRunsRow, pauses: number): Json {
    const a = this.#a;
    return {
      run_id: r.id,
      agent_name: r.agent_name,
      status: r.status,
      iteration_count: r.iteration_count,
      total_input_tokens: r.total_input_tokens,
      total_output_tokens: r.total_output_tokens,
      total_cost_usd: readCost(r.total_cost_usd),
      total_cache_read_tokens: r.total_cache_read_tokens,
      total_cache_creation_tokens: r.total_cache_creation_tokens,
      model: r.model,
      parent_run_id: r.parent_run_id,
      delegation_level: r.delegation_level,
      pause_count: pauses,
      created_at: ts(a, r.created_at),
      updated_at: ts(a, r.updated_at),
    };
  }

  async listRuns(q: { limit: number; offset: number; status?: string; agent?: string; tenant?: string }): Promise<{ runs: Json[]; total: number }> {
    let base = this.#db.selectFrom("agent_runs");
    if (q.status) base = base.where("status", "=", q.status);
    if (q.agent) base = base.where("agent_name", "=", q.agent);
    if (q.tenant) base = base.where("tenant_id", "=", q.tenant);
    const rows = await base.selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(q.limit).offset(q.offset).execute();
    const total = Number((await base.select((eb) => eb.fn.countAll().as("n")).executeTakeFirst())?.n ?? 0);
    const ids = rows.map((r) => r.id);
    const counts = new Map<string, number>();
    if (ids.length > 0) {
      const grouped = await this.#db
        .selectFrom("run_events")
        .select(["agent_run_id", sql<number>`count(*)`.as("n")])
        .where("event_type", "=", "run.paused")
        .where("agent_run_id", "in", ids)
        .groupBy("agent_run_id")
        .execute();
      for (const g of grouped) counts.set(g.agent_run_id, Number(g.n));
    }
    return { runs: rows.map((r) => this.#runItem(r, counts.get(r.id) ?? 0)), total };
  }

  /** A timestamp column as ISO 8601 UTC. */
  iso(value: unknown): string | null {
    return ts(this.#a, value);
  }

  /** A JSON column's value. */
  json(value: unknown): unknown {
    return this.#a.readJson(value);
  }

  async getRunRow(runId: string): Promise<AgentRunsRow | undefined> {
    return this.#db.selectFrom("agent_runs").selectAll().where("id", "=", runId).executeTakeFirst();
  }

  async events(runId: string): Promise<Json[]> {
    const rows = await this.#db.selectFrom("run_events").selectAll().where("agent_run_id", "=", runId).orderBy("sequence_index").execute();
    return rows.map((e) => ({
      id: e.id,
      event_type: e.event_type,
      sequence_index: e.sequence_index,
      iteration_index: e.iteration_index,
      correlation_id: e.correlation_id,
      data: this.#a.readJson(e.data),
      created_at: ts(this.#a, e.created_at),
    }));
  }

  async traces(runId: string): Promise<Json[]> {
    const rows = await this.#db.selectFrom("react_traces").selectAll().where("agent_run_id", "=", runId).orderBy("order_index").execute();
    return rows.map((t) => ({ id: t.id, role: t.role, content: t.content, order_index: t.order_index, meta: this.#a.readJson(t.meta), created_at: ts(this.#a, t.created_at) }));
  }

  async toolCalls(runId: string): Promise<Json[]> {
    const rows = await this.#db.selectFrom("tool_calls").selectAll().where("agent_run_id", "=", runId).orderBy("created_at").orderBy("id").execute();
    return rows.map((c) => ({
      id: c.id,
      tool_call_id: c.tool_call_id,
      tool_name: c.tool_name,
      target: c.target,
      params: this.#a.readJson(c.params),
      result: this.#a.readJson(c.result),
      success: this.#a.readBool(c.success),
      duration_ms: c.duration_ms,
      iteration_index: c.iteration_index,
      error_message: c.error_message,
      created_at: ts(this.#a, c.created_at),
    }));
  }

  async llmCalls(runId: string): Promise<Json[]> {
    const rows = await this.#db.selectFrom("llm_interactions").selectAll().where("agent_run_id", "=", runId).orderBy("iteration_index").orderBy("id").execute();
    const a = this.#a;
    return rows.map((c) => ({
      id: c.id,
      iteration_index: c.iteration_index,
      model: c.model,
      provider: c.provider,
      semantic_request: a.readJson(c.semantic_request),
      semantic_response: a.readJson(c.semantic_response),
      provider_request: a.readJson(c.provider_request),
      provider_response: a.readJson(c.provider_response),
      input_tokens: c.input_tokens,
      output_tokens: c.output_tokens,
      cost_usd: readCost(c.cost_usd),
      duration_ms: c.duration_ms,
      cache_read_input_tokens: c.cache_read_input_tokens,
      cache_creation_input_tokens: c.cache_creation_input_tokens,
      created_at: ts(a, c.created_at),
    }));
  }

  /** Parent, children, ancestry (root first) and subtree totals, guarded against cycles. */
  async delegation(row: AgentRunsRow): Promise<Json> {
    const brief = (r: AgentRunsRow) => ({ run_id: r.id, agent_name: r.agent_name, status: r.status, delegation_level: r.delegation_level });
    let parent: Json | null = null;
    const ancestry: Json[] = [];
    let complete = true;
    const seen = new Set([row.id]);
    let cursor = row.parent_run_id;
    while (cursor) {
      if (seen.has(cursor)) {
        complete = false;
        break;
      }
      seen.add(cursor);
      const up = await this.getRunRow(cursor);
      if (!up) {
        if (!parent) parent = { run_id: cursor, resolved: false, agent_name: null, status: null, delegation_level: null };
        complete = false;
        break;
      }
      if (!parent) parent = { run_id: up.id, resolved: true, agent_name: up.agent_name, status: up.status, delegation_level: up.delegation_level };
      ancestry.unshift(brief(up));
      cursor = up.parent_run_id;
    }
    const children = await this.#db.selectFrom("agent_runs").selectAll().where("parent_run_id", "=", row.id).orderBy("created_at").execute();
    const statusCounts: Record<string, number> = {};
    let inputTokens = 0;
    let outputTokens = 0;
    let cost: number | null = null;
    let unknownCost = 0;
    let descendants = 0;
    let maxDepth = 0;
    const visit = (r: AgentRunsRow) => {
      statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;
      inputTokens += r.total_input_tokens;
      outputTokens += r.total_output_tokens;
      const c = readCost(r.total_cost_usd);
      if (c === null) unknownCost += 1;
      else cost = (cost ?? 0) + c;
    };
    visit(row);
    const visited = new Set([row.id]);
    let frontier = children.map((c) => ({ row: c, depth: 1 }));
    while (frontier.length > 0) {
      const next: { row: AgentRunsRow; depth: number }[] = [];
      for (const { row: r, depth } of frontier) {
        if (visited.has(r.id)) continue;
        visited.add(r.id);
        descendants += 1;
        maxDepth = Math.max(maxDepth, depth);
        visit(r);
        const grand = await this.#db.selectFrom("agent_runs").selectAll().where("parent_run_id", "=", r.id).execute();
        next.push(...grand.map((g) => ({ row: g, depth: depth + 1 })));
      }
      frontier = next;
    }
    return {
      parent,
      children: children.map(brief),
      ancestry,
      subtree_summary: {
        direct_child_count: children.length,
        descendant_count: descendants,
        max_depth: maxDepth,
        subtree_input_tokens: inputTokens,
        subtree_output_tokens: outputTokens,
        subtree_cost_usd: cost,
        unknown_cost_count: unknownCost,
        status_counts: statusCounts,
      },
      ancestry_complete: complete,
    };
  }
}
