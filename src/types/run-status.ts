/** Lifecycle status of a run, stored verbatim in `agent_runs.status`. */
export type RunStatus =
  | "pending"
  | "running"
  | "waiting_client_tool"
  | "waiting_human_input"
  | "waiting_approval"
  | "success"
  | "error"
  | "cancelled"
  | "max_iterations";

export const RunStatus = {
  PENDING: "pending",
  RUNNING: "running",
  WAITING_CLIENT_TOOL: "waiting_client_tool",
  WAITING_HUMAN_INPUT: "waiting_human_input",
  WAITING_APPROVAL: "waiting_approval",
  SUCCESS: "success",
  ERROR: "error",
  CANCELLED: "cancelled",
  MAX_ITERATIONS: "max_iterations",
} as const satisfies Record<string, RunStatus>;

export const TERMINAL_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>([
  "success",
  "error",
  "cancelled",
  "max_iterations",
]);

export const WAITING_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>([
  "waiting_client_tool",
  "waiting_human_input",
  "waiting_approval",
]);

export function isTerminalStatus(status: string): boolean {
  return TERMINAL_STATUSES.has(status as RunStatus);
}

export function isWaitingStatus(status: string): boolean {
  return WAITING_STATUSES.has(status as RunStatus);
}
