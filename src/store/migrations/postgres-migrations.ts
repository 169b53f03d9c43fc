/**
 * PostgreSQL migrations, one per revision of the reference's Alembic chain and
 * named by its revision id. Running them leaves `alembic_version` at the
 * reference's head, so either implementation's `db migrate` / `db status`
 * accepts a database the other one migrated.
 */
export interface PostgresMigration {
  readonly revision: string;
  readonly downRevision: string | null;
  readonly description: string;
  readonly statements: readonly string[];
}

const TIMESTAMP_COLUMNS = [
  ["agent_runs", "created_at"],
  ["agent_runs", "updated_at"],
  ["agent_runs", "last_progress_at"],
  ["react_traces", "created_at"],
  ["react_traces", "updated_at"],
  ["tool_calls", "created_at"],
  ["tool_calls", "updated_at"],
  ["token_usage", "created_at"],
  ["run_events", "created_at"],
  ["llm_interactions", "created_at"],
] as const;

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    revision: "2ce3bb57b0c5",
    downRevision: null,
    description: "initial tables",
    statements: [
      `CREATE TABLE agent_runs (
        id varchar(26) NOT NULL, tenant_id varchar(255), agent_name varchar(255) NOT NULL, status varchar(50) NOT NULL,
        input_data json, output_data json, iteration_count integer NOT NULL, model varchar(255), strategy varchar(100),
        parent_run_id varchar(26), delegation_level integer NOT NULL, total_input_tokens integer NOT NULL,
        total_output_tokens integer NOT NULL, total_cost_usd numeric(10,6), meta json, error text,
        created_at timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL, updated_at timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
        CONSTRAINT agent_runs_pkey PRIMARY KEY (id),
        CONSTRAINT agent_runs_parent_run_id_fkey FOREIGN KEY (parent_run_id) REFERENCES agent_runs(id) ON DELETE SET NULL
      )`,
      "CREATE INDEX ix_agent_runs_created_at ON agent_runs (created_at)",
      "CREATE INDEX ix_agent_runs_parent_run_id ON agent_runs (parent_run_id)",
      "CREATE INDEX ix_agent_runs_status ON agent_runs (status)",
      "CREATE INDEX ix_agent_runs_tenant_id ON agent_runs (tenant_id)",
      `CREATE TABLE react_traces (
        id varchar(26) NOT NULL, agent_run_id varchar(26) NOT NULL, role varchar(20) NOT NULL, content text NOT NULL,
        order_index integer NOT NULL, meta json, created_at timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
        updated_at timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
        CONSTRAINT react_traces_pkey PRIMARY KEY (id),
        CONSTRAINT react_traces_agent_run_id_fkey FOREIGN KEY (agent_run_id) REFERENCES agent_runs(id) ON DELETE CASCADE
      )`,
      "CREATE INDEX ix_react_traces_agent_run_id_order ON react_traces (agent_run_id, order_index)",
      `CREATE TABLE token_usage (
        id varchar(26) NOT NULL, agent_run_id varchar(26) NOT NULL, iteration_index integer NOT NULL, model varchar(255),
        provider varchar(100), input_tokens integer NOT NULL, output_tokens integer NOT NULL, cost_usd numeric(10,6),
        duration_ms integer, meta json, created_at timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
        CONSTRAINT token_usage_pkey PRIMARY KEY (id),
        CONSTRAINT token_usage_agent_run_id_fkey FOREIGN KEY (agent_run_id) REFERENCES agent_runs(id) ON DELETE CASCADE
      )`,
      "CREATE INDEX ix_token_usage_agent_run_id ON token_usage (agent_run_id)",
      `CREATE TABLE tool_calls (
        id varchar(26) NOT NULL, agent_run_id varchar(26) NOT NULL, tool_call_id varchar(26) NOT NULL,
        provider_tool_call_id varchar(255), tool_name varchar(255) NOT NULL, target varchar(50) NOT NULL, params json,
        result json, success boolean NOT NULL, duration_ms integer, iteration_index integer, error_message text, meta json,
        created_at timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL, updated_at timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL,
        CONSTRAINT tool_calls_pkey PRIMARY KEY (id),
        CONSTRAINT tool_calls_agent_run_id_fkey FOREIGN KEY (agent_run_id) REFERENCES agent_runs(id) ON DELETE CASCADE
      )`,
      "CREATE INDEX ix_tool_calls_agent_run_id ON tool_calls (agent_run_id)",
    ],
  },
  {
    revision: "a1b2c3d4e5f6",
    downRevision: "2ce3bb57b0c5",
    description: "pause_data",
    statements: ["ALTER TABLE agent_runs ADD COLUMN pause_data json"],
  },
  {
    revision: "b7c8d9e0f1a2",
    downRevision: "a1b2c3d4e5f6",
    description: "run_events table",
    statements: [
      `CREATE TABLE run_events (
        id varchar(26) NOT NULL, agent_run_id varchar(26) NOT NULL, event_type varchar(50) NOT NULL,
        sequence_index integer DEFAULT '0' NOT NULL, iteration_index integer DEFAULT '0' NOT NULL,
        correlation_id varchar(26), data json, created_at timestamp DEFAULT now(),
        CONSTRAINT run_events_pkey PRIMARY KEY (id),
        CONSTRAINT run_events_agent_run_id_fkey FOREIGN KEY (agent_run_id) REFERENCES agent_runs(id) ON DELETE CASCADE
      )`,
      "CREATE INDEX ix_run_events_agent_run_id_seq ON run_events (agent_run_id, sequence_index)",
      "CREATE INDEX ix_run_events_event_type ON run_events (event_type)",
    ],
  },
  {
    revision: "c3d4e5f6a7b8",
    downRevision: "b7c8d9e0f1a2",
    description: "llm_interactions table",
    statements: [
      `CREATE TABLE llm_interactions (
        id varchar(26) NOT NULL, agent_run_id varchar(26) NOT NULL, iteration_index integer NOT NULL,
        model varchar(255), provider varchar(100), semantic_request json, semantic_response json,
        provider_request json, provider_response json, input_tokens integer DEFAULT '0' NOT NULL,
        output_tokens integer DEFAULT '0' NOT NULL, cost_usd numeric(10,6), duration_ms integer,
        created_at timestamp DEFAULT now(),
        CONSTRAINT llm_interactions_pkey PRIMARY KEY (id),
        CONSTRAINT llm_interactions_agent_run_id_fkey FOREIGN KEY (agent_run_id) REFERENCES agent_runs(id) ON DELETE CASCADE
      )`,
      "CREATE INDEX ix_llm_interactions_agent_run_id ON llm_interactions (agent_run_id)",
    ],
  },
  {
    revision: "d4e5f6a7b8c9",
    downRevision: "c3d4e5f6a7b8",
    description: "sweep columns",
    statements: [
      "ALTER TABLE agent_runs ADD COLUMN last_progress_at timestamp",
      "ALTER TABLE agent_runs ADD COLUMN failure_reason varchar(100)",
    ],
  },
  {
    revision: "e5f6a7b8c9d0",
    downRevision: "d4e5f6a7b8c9",
    description: "idempotency columns",
    statements: [
      "ALTER TABLE agent_runs ADD COLUMN idempotency_key varchar(255)",
      "ALTER TABLE agent_runs ADD COLUMN idempotency_fingerprint varchar(64)",
      "CREATE UNIQUE INDEX ix_agent_runs_idempotency_key ON agent_runs (idempotency_key)",
    ],
  },
  {
    revision: "f6a7b8c9d0e1",
    downRevision: "e5f6a7b8c9d0",
    description: "retry_of_run_id",
    statements: [
      "ALTER TABLE agent_runs ADD COLUMN retry_of_run_id varchar(26)",
      "ALTER TABLE agent_runs ADD CONSTRAINT agent_runs_retry_of_run_id_fkey FOREIGN KEY (retry_of_run_id) REFERENCES agent_runs(id) ON DELETE SET NULL",
      "CREATE INDEX ix_agent_runs_retry_of_run_id ON agent_runs (retry_of_run_id)",
    ],
  },
  {
    revision: "351153c8797a",
    downRevision: "f6a7b8c9d0e1",
    description: "guardrail columns",
    statements: [
      "ALTER TABLE agent_runs ADD COLUMN pii_mapping json",
      "ALTER TABLE llm_interactions ADD COLUMN guardrail_findings json",
    ],
  },
  {
    revision: "a8b9c0d1e2f3",
    downRevision: "351153c8797a",
    description: "cache token columns",
    statements: [
      "ALTER TABLE token_usage ADD COLUMN cache_read_input_tokens integer",
      "ALTER TABLE token_usage ADD COLUMN cache_creation_input_tokens integer",
      "ALTER TABLE llm_interactions ADD COLUMN cache_read_input_tokens integer",
      "ALTER TABLE llm_interactions ADD COLUMN cache_creation_input_tokens integer",
      "ALTER TABLE agent_runs ADD COLUMN total_cache_read_tokens integer DEFAULT 0 NOT NULL",
      "ALTER TABLE agent_runs ADD COLUMN total_cache_creation_tokens integer DEFAULT 0 NOT NULL",
    ],
  },
  {
    revision: "c1d2e3f4a5b6",
    downRevision: "a8b9c0d1e2f3",
    description: "cancel_requested",
    statements: ["ALTER TABLE agent_runs ADD COLUMN cancel_requested boolean DEFAULT false NOT NULL"],
  },
  {
    revision: "e2f3a4b5c6d7",
    downRevision: "c1d2e3f4a5b6",
    description: "timezone-aware UTC timestamps",
    statements: TIMESTAMP_COLUMNS.map(
      ([table, column]) => `ALTER TABLE ${table} ALTER COLUMN ${column} TYPE timestamptz USING ${column} AT TIME ZONE 'UTC'`,
    ),
  },
  {
    revision: "f3a4b5c6d7e8",
    downRevision: "e2f3a4b5c6d7",
    description: "drop server-side now() defaults",
    statements: TIMESTAMP_COLUMNS.filter(([, c]) => c !== "last_progress_at").map(
      ([table, column]) => `ALTER TABLE ${table} ALTER COLUMN ${column} DROP DEFAULT`,
    ),
  },
  {
    revision: "a4b5c6d7e8f9",
    downRevision: "f3a4b5c6d7e8",
    description: "reasoning token columns",
    statements: [
      "ALTER TABLE token_usage ADD COLUMN reasoning_tokens integer",
      "ALTER TABLE llm_interactions ADD COLUMN reasoning_tokens integer",
      "ALTER TABLE agent_runs ADD COLUMN total_reasoning_tokens integer DEFAULT 0 NOT NULL",
    ],
  },
];

export const POSTGRES_HEAD = "a4b5c6d7e8f9";

/**
 * Our own additions to the reference's schema, applied idempotently after
 * every migrate: a GIN index for `metadataFilter` containment queries; the
 * generated column `meta_thread_id` (`metadata.thread_id` when it is a
 * string, kept by PostgreSQL whoever writes the row, so a thread's runs are
 * counted from an index alone); for each run-list filter an index ending in
 * `(created_at, id)`, so a newest-first page is read in index order and stops
 * after `limit` rows; one for run-id prefix search whatever the collation;
 * and one that makes a duplicate event number in a run impossible. Adding
 * the column to an existing table rewrites it once.
 */
export const POSTGRES_SCHEMA_ADDITIONS: readonly string[] = [
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_meta_jsonb ON agent_runs USING gin ((meta::jsonb) jsonb_path_ops)",
  "ALTER TABLE agent_runs ADD COLUMN IF NOT EXISTS meta_thread_id text GENERATED ALWAYS AS (CASE WHEN jsonb_typeof(meta::jsonb -> 'thread_id') = 'string' THEN meta::jsonb ->> 'thread_id' END) STORED",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_meta_thread_created ON agent_runs (meta_thread_id, created_at, id)",
  // Its expression-index predecessor: no query names that expression once the column exists.
  "DROP INDEX IF EXISTS ix_agent_runs_thread_created",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_created_id ON agent_runs (created_at, id)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_status_created ON agent_runs (status, created_at, id)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_agent_created ON agent_runs (agent_name, created_at, id)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_tenant_created ON agent_runs (tenant_id, created_at, id)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_parent_created ON agent_runs (parent_run_id, created_at, id)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_id_pattern ON agent_runs (id text_pattern_ops)",
  "CREATE UNIQUE INDEX IF NOT EXISTS ux_run_events_run_sequence ON run_events (agent_run_id, sequence_index)",
];
