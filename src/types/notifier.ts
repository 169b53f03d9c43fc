import type { LLMResponse } from "./llm-response.js";
import type { Message } from "./message.js";
import type { RunResult } from "./run-result.js";
import type { ToolCall, ToolDef, ToolResult } from "./tool-call.js";

export interface LlmCallDetails {
  /** The messages and tools of the request, before any vendor translation. */
  readonly semanticMessages: readonly Message[];
  readonly semanticTools: readonly ToolDef[] | null;
}

export interface LlmCallCompletedDetails extends LlmCallDetails {
  readonly durationMs: number;
  readonly guardrailFindings?: Record<string, unknown> | null;
}

/**
 * Observer of a run. Implement any subset of the hooks; every hook gets the run
 * id first. Hooks are fail-open: a throwing hook is logged and reported in
 * `RunResult.warnings`, never fatal.
 */
export interface Notifier {
  onRunStarted?(runId: string, info: { agentName: string; agentModel: string }): Promise<void> | void;
  onRunFinished?(runId: string, result: RunResult): Promise<void> | void;
  onRunFailed?(runId: string, error: unknown, info: { iteration: number | null }): Promise<void> | void;
  onMessageAppended?(runId: string, message: Message, iteration: number): Promise<void> | void;
  onLlmCallStarted?(runId: string, iteration: number, details: LlmCallDetails): Promise<void> | void;
  onLlmCallCompleted?(runId: string, response: LLMResponse, iteration: number, details: LlmCallCompletedDetails): Promise<void> | void;
  onLlmCallFailed?(runId: string, iteration: number, error: unknown, details: { durationMs: number }): Promise<void> | void;
  onToolStarted?(runId: string, toolCall: ToolCall, iteration: number): Promise<void> | void;
  onToolCompleted?(runId: string, toolCall: ToolCall, toolResult: ToolResult, iteration: number): Promise<void> | void;
  onGovernanceEvent?(
    runId: string,
    eventType: string,
    iteration: number,
    data: Record<string, unknown>,
    info: { correlationId: string | null },
  ): Promise<void> | void;
}

export type NotifierHook = keyof Notifier;

export const NOTIFIER_HOOKS: readonly NotifierHook[] = [
  "onRunStarted",
  "onRunFinished",
  "onRunFailed",
  "onMessageAppended",
  "onLlmCallStarted",
  "onLlmCallCompleted",
  "onLlmCallFailed",
  "onToolStarted",
  "onToolCompleted",
  "onGovernanceEvent",
];
