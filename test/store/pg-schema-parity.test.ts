import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "kysely";
import { BACKENDS, withDatabase, type TestDatabase } from "../support/backends.js";
import { describeRequiring } from "../support/requirements.js";

/**
 * The reference's PostgreSQL schema at Alembic head a4b5c6d7e8f9 (contracts/durable.md §1.3), column by column:
 * name, type, nullability and default, in migration order.
 */
const TS = "timestamp with time zone";
const EXPECTED: Record<string, string[]> = {
  agent_runs: [
    "id character varying(26) NOT NULL", "tenant_id character varying(255)", "agent_name character varying(255) NOT NULL",
    "status character varying(50) NOT NULL", "input_data json", "output_data json", "iteration_count integer NOT NULL",
    "model character varying(255)", "strategy character varying(100)", "parent_run_id character varying(26)",
    "delegation_level integer NOT NULL", "total_input_tokens integer NOT NULL", "total_output_tokens integer NOT NULL",
    "total_cost_usd numeric(10,6)", "meta json", "error text", `created_at ${TS} NOT NULL`, `updated_at ${TS} NOT NULL`,
    "pause_data json", `last_progress_at ${TS}`, "failure_reason character varying(100)", "idempotency_key character varying(255)",
    "idempotency_fingerprint character varying(64)", "retry_of_run_id character varying(26)", "pii_mapping json",
    "total_cache_read_tokens integer NOT NULL DEFAULT 0", "total_cache_creation_tokens integer NOT NULL DEFAULT 0",
    "cancel_requested boolean NOT NULL DEFAULT false", "total_reasoning_tokens integer NOT NULL DEFAULT 0",
  ],
  llm_interactions: [
    "id character varying(26) NOT NULL", "agent_run_id character varying(26) NOT NULL", "iteration_index integer NOT NULL",
    "model character varying(255)", "provider character varying(100)", "semantic_request json", "semantic_response json",
    "provider_request json", "provider_response json", "input_tokens integer NOT NULL DEFAULT 0", "output_tokens integer NOT NULL DEFAULT 0",
    "cost_usd numeric(10,6)", "duration_ms integer", `created_at ${TS}`, "guardrail_findings json", "cache_read_input_tokens integer",
    "cache_creation_input_tokens integer", "reasoning_tokens integer",
  ],
  react_traces: [
    "id character varying(26) NOT NULL", "agent_run_id character varying(26) NOT NULL", "role character varying(20) NOT NULL",
    "content text NOT NULL", "order_index integer NOT NULL", "meta json", `created_at ${TS} NOT NULL`, `updated_at ${TS} NOT NULL`,
  ],
  run_events: [
    "id character varying(26) NOT NULL", "agent_run_id character varying(26) NOT NULL", "event_type character varying(50) NOT NULL",
    "sequence_index integer NOT NULL DEFAULT 0", "iteration_index integer NOT NULL DEFAULT 0", "correlation_id character varying(26)",
    "data json", `created_at ${TS}`,
  ],
  token_usage: [
    "id character varying(26) NOT NULL", "agent_run_id character varying(26) NOT NULL", "iteration_index integer NOT NULL",
    "model character varying(255)", "provider character varying(100)", "input_tokens integer NOT NULL", "output_tokens integer NOT NULL",
    "cost_usd numeric(10,6)", "duration_ms integer", "meta json", `created_at ${TS} NOT NULL`, "cache_read_input_tokens integer",
    "cache_creation_input_tokens integer", "reasoning_tokens integer",
  ],
  tool_calls: [
    "id character varying(26) NOT NULL", "agent_run_id character varying(26) NOT NULL", "tool_call_id character varying(26) NOT NULL",
    "provider_tool_call_id character varying(255)", "tool_name character varying(255) NOT NULL", "target character varying(50) NOT NULL",
    "params json", "result json", "success boolean NOT NULL", "duration_ms integer", "iteration_index integer", "error_message text",
    "meta json", `created_at ${TS} NOT NULL`, `updated_at ${TS} NOT NULL`,
  ],
};

/** Our one column beyond the reference's: `metadata.thread_id` as text when it is a string. */
const OUR_THREAD_COLUMN =
  "meta_thread_id text GENERATED ALWAYS AS (CASE WHEN (jsonb_typeof(((meta)::jsonb -> 'thread_id'::text)) = 'string'::text) " +
  "THEN ((meta)::jsonb ->> 'thread_id'::text) ELSE NULL::text END) STORED";

const EXPECTED_CONSTRAINTS = [
  "agent_runs agent_runs_parent_run_id_fkey FOREIGN KEY (parent_run_id) REFERENCES agent_runs(id) ON DELETE SET NULL",
  "agent_runs agent_runs_pkey PRIMARY KEY (id)",
  "agent_runs agent_runs_retry_of_run_id_fkey FOREIGN KEY (retry_of_run_id) REFERENCES agent_runs(id) ON DELETE SET NULL",
  ...["llm_interactions", "react_traces", "run_events", "token_usage", "tool_calls"].flatMap((t) => [
    `${t} ${t}_agent_run_id_fkey FOREIGN KEY (agent_run_id) REFERENCES agent_runs(id) ON DELETE CASCADE`,
    `${t} ${t}_pkey PRIMARY KEY (id)`,
  ]),
].sort();

const backend = BACKENDS.find((b) => b.name === "postgres")!;

describeRequiring(backend.skipReason, "PostgreSQL migrations reproduce the reference's head schema", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await backend.create();
  });
  afterAll(async () => database?.cleanup());

  it("columns, types, nullability, defaults and constraints", async () => {
    await withDatabase(database.url, async (db) => {
      const columns = await sql<{ t: string; spec: string }>`
        SELECT c.relname AS t,
               a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
               || CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || trim(regexp_replace(pg_get_expr(d.adbin, d.adrelid), '[[:space:]]+', ' ', 'g')) || ') STORED'
                       ELSE COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') END AS spec
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> 'alembic_version'
        ORDER BY c.relname, a.attnum`.execute(db);
      const actual: Record<string, string[]> = {};
      for (const row of columns.rows) (actual[row.t] ??= []).push(row.spec);
      // The reference's columns, in its order, then ours: one generated column, kept by PostgreSQL whoever writes.
      expect(actual).toEqual({ ...EXPECTED, agent_runs: [...EXPECTED.agent_runs!, OUR_THREAD_COLUMN] });
      const constraints = await sql<{ c: string }>`
        SELECT cl.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid) AS c
        FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
        WHERE n.nspname = 'public' AND cl.relname <> 'alembic_version' ORDER BY 1`.execute(db);
      expect(constraints.rows.map((r) => r.c).sort()).toEqual(EXPECTED_CONSTRAINTS);
      const indexes = await sql<{ d: string }>`SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'ix_%' ORDER BY indexname`.execute(db);
      expect(indexes.rows.map((r) => r.d.replace(" USING btree", "").replace(/public\./g, ""))).toEqual([
        "CREATE INDEX ix_agent_runs_agent_created ON agent_runs (agent_name, created_at, id)",
        "CREATE INDEX ix_agent_runs_created_at ON agent_runs (created_at)",
        "CREATE INDEX ix_agent_runs_created_id ON agent_runs (created_at, id)",
        "CREATE INDEX ix_agent_runs_id_pattern ON agent_runs (id text_pattern_ops)",
        "CREATE UNIQUE INDEX ix_agent_runs_idempotency_key ON agent_runs (idempotency_key)",
        "CREATE INDEX ix_agent_runs_meta_jsonb ON agent_runs USING gin (((meta)::jsonb) jsonb_path_ops)",
        "CREATE INDEX ix_agent_runs_meta_thread_created ON agent_runs (meta_thread_id, created_at, id)",
        "CREATE INDEX ix_agent_runs_parent_created ON agent_runs (parent_run_id, created_at, id)",
        "CREATE INDEX ix_agent_runs_parent_run_id ON agent_runs (parent_run_id)",
        "CREATE INDEX ix_agent_runs_retry_of_run_id ON agent_runs (retry_of_run_id)",
        "CREATE INDEX ix_agent_runs_status ON agent_runs (status)",
        "CREATE INDEX ix_agent_runs_status_created ON agent_runs (status, created_at, id)",
        "CREATE INDEX ix_agent_runs_tenant_created ON agent_runs (tenant_id, created_at, id)",
        "CREATE INDEX ix_agent_runs_tenant_id ON agent_runs (tenant_id)",
        "CREATE INDEX ix_llm_interactions_agent_run_id ON llm_interactions (agent_run_id)",
        "CREATE INDEX ix_react_traces_agent_run_id_order ON react_traces (agent_run_id, order_index)",
        "CREATE INDEX ix_run_events_agent_run_id_seq ON run_events (agent_run_id, sequence_index)",
        "CREATE INDEX ix_run_events_event_type ON run_events (event_type)",
        "CREATE INDEX ix_token_usage_agent_run_id ON token_usage (agent_run_id)",
        "CREATE INDEX ix_tool_calls_agent_run_id ON tool_calls (agent_run_id)",
      ]);
    });
  });
});
