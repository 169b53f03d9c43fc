import { type Expression, type Kysely, type SqlBool, sql } from "kysely";
import type { RunStatus } from "../types/run-status.js";
import { quantizeCost } from "./dialect/json-values.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";
import type { ThreadSummary, ThreadTurn } from "./records.js";
import { olderThan } from "./run-cursor.js";
import { toRunSummary } from "./rows.js";
import { type RunScope, scopePredicates } from "./run-scope.js";
import type { Database } from "./schema.js";

/** A thread is every run whose top-level `metadata.thread_id` is the thread id (string), within the scope. */
function threadWhere(adapter: StoreAdapter, threadId: string, scope: RunScope | undefined): Expression<SqlBool>[] {
  return [adapter.metadataPredicate({ thread_id: threadId }), ...scopePredicates(adapter, scope)];
}

export async function readThreadRunIds(db: Kysely<Database>, adapter: StoreAdapter, threadId: string, scope: RunScope | undefined): Promise<string[]> {
  let query = db.selectFrom("agent_runs").select("id");
  for (const w of threadWhere(adapter, threadId, scope)) query = query.where(w);
  const rows = await query.orderBy("created_at", "asc").orderBy("id", "asc").execute();
  return rows.map((r) => r.id);
}

export async function readThread(
  db: Kysely<Database>,
  adapter: StoreAdapter,
  threadId: string,
  options: { limit: number; before: string | undefined; deanonymize: boolean; scope: RunScope | undefined },
): Promise<ThreadTurn[]> {
  const where = threadWhere(adapter, threadId, options.scope);
  const cursor = options.before === undefined ? null : olderThan(db, String(options.before), where, `before must be a run of thread ${JSON.stringify(threadId)}.`);
  let query = db.selectFrom("agent_runs").selectAll();
  for (const w of where) query = query.where(w);
  if (cursor) query = query.where(cursor.predicate);
  const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(options.limit).execute();
  if (rows.length === 0) await cursor?.verify();
  return rows.reverse().map((row) => {
    const input = adapter.readJson(row.input_data) as { input?: unknown } | null;
    const output = adapter.readJson(row.output_data) as { answer?: unknown } | null;
    let text = input && typeof input === "object" && typeof input.input === "string" ? input.input : null;
    let answer = output && typeof output === "object" && typeof output.answer === "string" ? output.answer : null;
    if (options.deanonymize) {
      const mapping = adapter.readJson(row.pii_mapping);
      if (mapping && typeof mapping === "object" && !Array.isArray(mapping)) {
        text = restore(text, mapping as Record<string, unknown>);
        answer = restore(answer, mapping as Record<string, unknown>);
      }
    }
    return { ...toRunSummary(adapter, row), input: text, answer, error: row.error };
  });
}

function restore(text: string | null, mapping: Record<string, unknown>): string | null {
  if (text === null) return null;
  let out = text;
  for (const [placeholder, real] of Object.entries(mapping)) {
    if (typeof real === "string" && out.includes(placeholder)) out = out.split(placeholder).join(real);
  }
  return out;
}

interface StatusRow {
  status: string;
  turns: number | string;
  input_tokens: number | string | null;
  output_tokens: number | string | null;
  cache_read: number | string | null;
  cache_creation: number | string | null;
  reasoning: number | string | null;
  cost: number | string | null;
  priced: number | string;
  first_at: unknown;
  last_at: unknown;
}

export async function readThreadSummary(db: Kysely<Database>, adapter: StoreAdapter, threadId: string, scope: RunScope | undefined): Promise<ThreadSummary> {
  const where = threadWhere(adapter, threadId, scope);
  const { rows } = await sql<StatusRow>`
    SELECT status, COUNT(*) AS turns,
      SUM(total_input_tokens) AS input_tokens, SUM(total_output_tokens) AS output_tokens,
      SUM(total_cache_read_tokens) AS cache_read, SUM(total_cache_creation_tokens) AS cache_creation,
      SUM(total_reasoning_tokens) AS reasoning, SUM(total_cost_usd) AS cost, COUNT(total_cost_usd) AS priced,
      MIN(created_at) AS first_at, MAX(updated_at) AS last_at
    FROM agent_runs
    WHERE ${sql.join(where, sql` AND `)}
    GROUP BY status
    ORDER BY status`.execute(db);
  const n = (value: unknown) => Number(value ?? 0);
  const statuses: Partial<Record<RunStatus, number>> = {};
  let first: Date | null = null;
  let last: Date | null = null;
  let cost = 0;
  let priced = 0;
  const sum = { turns: 0, input: 0, output: 0, cacheRead: 0, cacheCreation: 0, reasoning: 0 };
  for (const row of rows) {
    statuses[row.status as RunStatus] = n(row.turns);
    sum.turns += n(row.turns);
    sum.input += n(row.input_tokens);
    sum.output += n(row.output_tokens);
    sum.cacheRead += n(row.cache_read);
    sum.cacheCreation += n(row.cache_creation);
    sum.reasoning += n(row.reasoning);
    priced += n(row.priced);
    cost += n(row.cost);
    const f = adapter.readTimestamp(row.first_at);
    const l = adapter.readTimestamp(row.last_at);
    if (f && (!first || f < first)) first = f;
    if (l && (!last || l > last)) last = l;
  }
  return {
    threadId,
    turns: sum.turns,
    statuses,
    totalInputTokens: sum.input,
    totalOutputTokens: sum.output,
    totalTokens: sum.input + sum.output,
    totalCacheReadTokens: sum.cacheRead,
    totalCacheCreationTokens: sum.cacheCreation,
    totalReasoningTokens: sum.reasoning,
    totalCostUsd: priced > 0 ? quantizeCost(cost) : null,
    firstActivityAt: first,
    lastActivityAt: last,
  };
}
