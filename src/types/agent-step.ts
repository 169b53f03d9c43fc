import type { ToolCall } from "./tool-call.js";

/** The run ends with this answer. */
export interface FinishAction {
  readonly type: "finish";
  readonly answer: string;
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** The run pauses to ask a human. */
export interface ClarificationAction {
  readonly type: "clarification";
  readonly question: string;
  readonly options?: readonly string[];
}

/** The run executes (or pauses for) these tool calls. */
export interface ToolCallsAction {
  readonly type: "tool_calls";
  readonly calls: readonly ToolCall[];
}

export type AgentAction = FinishAction | ClarificationAction | ToolCallsAction;

/** What one LLM call decided, as parsed by the strategy. */
export interface AgentStep {
  readonly reasoning: string | null;
  readonly action: AgentAction;
  readonly rawResponse: string | null;
  readonly meta?: Readonly<Record<string, unknown>>;
}
