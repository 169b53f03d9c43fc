/**
 * The SQLite schema, statement for statement what the reference's
 * `create_all` emits, so a file either implementation creates is the same.
 * Every statement is guarded, so it also completes a partial schema.
 */
export const SQLITE_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS agent_runs (
	id VARCHAR(26) NOT NULL, 
	tenant_id VARCHAR(255), 
	agent_name VARCHAR(255) NOT NULL, 
	status VARCHAR(50) NOT NULL, 
	input_data JSON, 
	output_data JSON, 
	iteration_count INTEGER NOT NULL, 
	model VARCHAR(255), 
	strategy VARCHAR(100), 
	parent_run_id VARCHAR(26), 
	delegation_level INTEGER NOT NULL, 
	retry_of_run_id VARCHAR(26), 
	total_input_tokens INTEGER NOT NULL, 
	total_output_tokens INTEGER NOT NULL, 
	total_cost_usd NUMERIC(10, 6), 
	total_cache_read_tokens INTEGER NOT NULL, 
	total_cache_creation_tokens INTEGER NOT NULL, 
	total_reasoning_tokens INTEGER DEFAULT '0' NOT NULL, 
	meta JSON, 
	pause_data JSON, 
	pii_mapping JSON, 
	error TEXT, 
	last_progress_at DATETIME, 
	failure_reason VARCHAR(100), 
	idempotency_key VARCHAR(255), 
	idempotency_fingerprint VARCHAR(64), 
	cancel_requested BOOLEAN DEFAULT '0' NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(parent_run_id) REFERENCES agent_runs (id) ON DELETE SET NULL, 
	FOREIGN KEY(retry_of_run_id) REFERENCES agent_runs (id) ON DELETE SET NULL, 
	UNIQUE (idempotency_key)
)`,
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_created_at ON agent_runs (created_at)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_parent_run_id ON agent_runs (parent_run_id)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_status ON agent_runs (status)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_tenant_id ON agent_runs (tenant_id)",
  `CREATE TABLE IF NOT EXISTS llm_interactions (
	id VARCHAR(26) NOT NULL, 
	agent_run_id VARCHAR(26) NOT NULL, 
	iteration_index INTEGER NOT NULL, 
	model VARCHAR(255), 
	provider VARCHAR(100), 
	semantic_request JSON, 
	semantic_response JSON, 
	provider_request JSON, 
	provider_response JSON, 
	input_tokens INTEGER NOT NULL, 
	output_tokens INTEGER NOT NULL, 
	cost_usd NUMERIC(10, 6), 
	duration_ms INTEGER, 
	cache_read_input_tokens INTEGER, 
	cache_creation_input_tokens INTEGER, 
	reasoning_tokens INTEGER, 
	guardrail_findings JSON, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(agent_run_id) REFERENCES agent_runs (id) ON DELETE CASCADE
)`,
  "CREATE INDEX IF NOT EXISTS ix_llm_interactions_agent_run_id ON llm_interactions (agent_run_id)",
  `CREATE TABLE IF NOT EXISTS react_traces (
	id VARCHAR(26) NOT NULL, 
	agent_run_id VARCHAR(26) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	content TEXT NOT NULL, 
	order_index INTEGER NOT NULL, 
	meta JSON, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(agent_run_id) REFERENCES agent_runs (id) ON DELETE CASCADE
)`,
  "CREATE INDEX IF NOT EXISTS ix_react_traces_agent_run_id_order ON react_traces (agent_run_id, order_index)",
  `CREATE TABLE IF NOT EXISTS run_events (
	id VARCHAR(26) NOT NULL, 
	agent_run_id VARCHAR(26) NOT NULL, 
	event_type VARCHAR(50) NOT NULL, 
	sequence_index INTEGER NOT NULL, 
	iteration_index INTEGER NOT NULL, 
	correlation_id VARCHAR(26), 
	data JSON, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(agent_run_id) REFERENCES agent_runs (id) ON DELETE CASCADE
)`,
  "CREATE INDEX IF NOT EXISTS ix_run_events_agent_run_id_seq ON run_events (agent_run_id, sequence_index)",
  "CREATE INDEX IF NOT EXISTS ix_run_events_event_type ON run_events (event_type)",
  `CREATE TABLE IF NOT EXISTS token_usage (
	id VARCHAR(26) NOT NULL, 
	agent_run_id VARCHAR(26) NOT NULL, 
	iteration_index INTEGER NOT NULL, 
	model VARCHAR(255), 
	provider VARCHAR(100), 
	input_tokens INTEGER NOT NULL, 
	output_tokens INTEGER NOT NULL, 
	cost_usd NUMERIC(10, 6), 
	duration_ms INTEGER, 
	cache_read_input_tokens INTEGER, 
	cache_creation_input_tokens INTEGER, 
	reasoning_tokens INTEGER, 
	meta JSON, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(agent_run_id) REFERENCES agent_runs (id) ON DELETE CASCADE
)`,
  "CREATE INDEX IF NOT EXISTS ix_token_usage_agent_run_id ON token_usage (agent_run_id)",
  `CREATE TABLE IF NOT EXISTS tool_calls (
	id VARCHAR(26) NOT NULL, 
	agent_run_id VARCHAR(26) NOT NULL, 
	tool_call_id VARCHAR(26) NOT NULL, 
	provider_tool_call_id VARCHAR(255), 
	tool_name VARCHAR(255) NOT NULL, 
	target VARCHAR(50) NOT NULL, 
	params JSON, 
	result JSON, 
	success BOOLEAN NOT NULL, 
	duration_ms INTEGER, 
	iteration_index INTEGER, 
	error_message TEXT, 
	meta JSON, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(agent_run_id) REFERENCES agent_runs (id) ON DELETE CASCADE
)`,
  "CREATE INDEX IF NOT EXISTS ix_tool_calls_agent_run_id ON tool_calls (agent_run_id)",
];

/**
 * Our own additions, outside the reference's schema: they only speed up reads
 * and are safe for the reference to ignore. Each run-list filter has an index
 * that ends in `(created_at, id)`, so a newest-first page is read in index
 * order and stops after `limit` rows.
 */
export const SQLITE_EXTRA_INDEXES: readonly string[] = [
  // Replaced by ix_agent_runs_thread_created (which adds `id`, the tie-break of the newest-first order).
  "DROP INDEX IF EXISTS ix_agent_runs_thread_id",
  // The JSON type is part of the key, so a type-strict thread filter (and its count) is answered from the index alone.
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_thread_created ON agent_runs (json_extract(meta, '$.thread_id'), json_type(meta, '$.thread_id'), created_at, id)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_created_id ON agent_runs (created_at, id)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_status_created ON agent_runs (status, created_at, id)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_agent_created ON agent_runs (agent_name, created_at, id)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_tenant_created ON agent_runs (tenant_id, created_at, id)",
  "CREATE INDEX IF NOT EXISTS ix_agent_runs_parent_created ON agent_runs (parent_run_id, created_at, id)",
];
