import type { LLMResponse } from "./llm-response.js";
import type { RunResult } from "./run-result.js";
import type { ToolCall, ToolResult } from "./tool-call.js";

/** Events of `agent.stream()`; the last one is always terminal. */
export type RunEvent =
  | { readonly type: "run_started"; readonly runId: string }
  | { readonly type: "run_resumed"; readonly runId: string }
  | { readonly type: "reasoning_delta"; readonly runId: string; readonly text: string }
  | { readonly type: "text_delta"; readonly runId: string; readonly text: string }
  /**
   * Structured output while streaming (`stream()` with `outputType`): the
   * object parsed so far from the model's partial JSON, not yet validated.
   * Each event carries the whole partial value; the validated value arrives
   * as `run_completed.result.output`.
   */
  | { readonly type: "partial_output"; readonly runId: string; readonly output: unknown }
  | { readonly type: "tool_use_start"; readonly runId: string; readonly toolName: string; readonly toolCallId: string | null }
  | {
      readonly type: "tool_use_end";
      readonly runId: string;
      readonly toolCall: ToolCall;
      readonly toolName: string;
      readonly toolCallId: string | null;
    }
  | { readonly type: "tool_result"; readonly runId: string; readonly toolCall: ToolCall; readonly toolResult: ToolResult }
  | { readonly type: "run_completed"; readonly runId: string; readonly result: RunResult }
  | { readonly type: "run_paused"; readonly runId: string; readonly result: RunResult }
  | { readonly type: "run_cancelled"; readonly runId: string; readonly result: RunResult }
  | { readonly type: "run_error"; readonly runId: string; readonly result: RunResult; readonly error: string };

export type RunEventType = RunEvent["type"];

export const RunEventType = {
  RUN_STARTED: "run_started",
  RUN_RESUMED: "run_resumed",
  RUN_COMPLETED: "run_completed",
  RUN_PAUSED: "run_paused",
  RUN_ERROR: "run_error",
  RUN_CANCELLED: "run_cancelled",
  TEXT_DELTA: "text_delta",
  PARTIAL_OUTPUT: "partial_output",
  REASONING_DELTA: "reasoning_delta",
  TOOL_USE_START: "tool_use_start",
  TOOL_USE_END: "tool_use_end",
  TOOL_RESULT: "tool_result",
} as const satisfies Record<string, RunEventType>;

export function isTerminalRunEvent(event: RunEvent): boolean {
  return (
    event.type === "run_completed" ||
    event.type === "run_paused" ||
    event.type === "run_cancelled" ||
    event.type === "run_error"
  );
}

/** Events a provider's stream yields; `done` carries the complete response. */
export type ProviderStreamEvent =
  | { readonly type: "text_delta"; readonly text: string }
  | { readonly type: "reasoning_delta"; readonly text: string }
  | { readonly type: "tool_use_start"; readonly toolName: string; readonly toolCallId: string | null }
  | { readonly type: "tool_use_end"; readonly toolCall: ToolCall; readonly toolCallId: string | null }
  | { readonly type: "done"; readonly response: LLMResponse };
