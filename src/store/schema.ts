
/**
 * The six tables, exactly as the reference defines them. Column types are what
 * the drivers hand back: JSON is text on SQLite and parsed on PostgreSQL,
 * timestamps are text on SQLite and `Date` on PostgreSQL, booleans are 0/1 on
 * SQLite. `rows.ts` normalises them; nothing else reads raw rows.
 */
type Json = unknown;
type Timestamp = string | Date;
type Bool = number | boolean;

export interface AgentRunsRow {
  id: string;
  tenant_id: string | null;
  agent_name: string;
  status: string;
  input_data: Json;
  output_data: Json;
  iteration_count: number;
  model: string | null;
  strategy: string | null;
  parent_run_id: string | null;
  delegation_level: number;
  retry_of_run_id: string | null;
  total_input_tokens: number;
  total_output_tokens: number;
  total_cost_usd: number | string | null;
  total_cache_read_tokens: number;
  total_cache_creation_tokens: number;
  total_reasoning_tokens: number;
  meta: Json;
  pause_data: Json;
  pii_mapping: Json;
  error: string | null;
  last_progress_at: Timestamp | null;
  failure_reason: string | null;
  idempotency_key: string | null;
  idempotency_fingerprint: string | null;
  cancel_requested: Bool;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReactTracesRow {
  id: string;
  agent_run_id: string;
  role: string;
  content: string;
  order_index: number;
  meta: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ToolCallsRow {
  id: string;
  agent_run_id: string;
  tool_call_id: string;
  provider_tool_call_id: string | null;
  tool_name: string;
  target: string;
  params: Json;
  result: Json;
  success: Bool;
  duration_ms: number | null;
  iteration_index: number | null;
  error_message: string | null;
  meta: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TokenUsageRow {
  id: string;
  agent_run_id: string;
  iteration_index: number;
  model: string | null;
  provider: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | string | null;
  duration_ms: number | null;
  cache_read_input_tokens: number | null;
  cache_creation_input_tokens: number | null;
  reasoning_tokens: number | null;
  meta: Json;
  created_at: Timestamp;
}

export interface LlmInteractionsRow {
  id: string;
  agent_run_id: string;
  iteration_index: number;
  model: string | null;
  provider: string | null;
  semantic_request: Json;
  semantic_response: Json;
  provider_request: Json;
  provider_response: Json;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | string | null;
  duration_ms: number | null;
  cache_read_input_tokens: number | null;
  cache_creation_input_tokens: number | null;
  reasoning_tokens: number | null;
  guardrail_findings: Json;
  created_at: Timestamp | null;
}

export interface RunEventsRow {
  id: string;
  agent_run_id: string;
  event_type: string;
  sequence_index: number;
  iteration_index: number;
  correlation_id: string | null;
  data: Json;
  created_at: Timestamp | null;
}

export interface Database {
  agent_runs: AgentRunsRow;
  react_traces: ReactTracesRow;
  tool_calls: ToolCallsRow;
  token_usage: TokenUsageRow;
  llm_interactions: LlmInteractionsRow;
  run_events: RunEventsRow;
}
