import type { LLMResponse } from "../types/llm-response.js";
import type { Message } from "../types/message.js";
import type { LlmCallCompletedDetails, LlmCallDetails, Notifier } from "../types/notifier.js";
import type { RunResult } from "../types/run-result.js";
import type { ToolCall, ToolResult } from "../types/tool-call.js";

/** Every hook as a no-op: extend it and override the ones you need. */
export class BaseNotifier implements Required<Notifier> {
  async onRunStarted(_runId: string, _info: { agentName: string; agentModel: string }): Promise<void> {}
  async onRunFinished(_runId: string, _result: RunResult): Promise<void> {}
  async onRunFailed(_runId: string, _error: unknown, _info: { iteration: number | null }): Promise<void> {}
  async onMessageAppended(_runId: string, _message: Message, _iteration: number): Promise<void> {}
  async onLlmCallStarted(_runId: string, _iteration: number, _details: LlmCallDetails): Promise<void> {}
  async onLlmCallCompleted(_runId: string, _response: LLMResponse, _iteration: number, _details: LlmCallCompletedDetails): Promise<void> {}
  async onLlmCallFailed(_runId: string, _iteration: number, _error: unknown, _details: { durationMs: number }): Promise<void> {}
  async onToolStarted(_runId: string, _toolCall: ToolCall, _iteration: number): Promise<void> {}
  async onToolCompleted(_runId: string, _toolCall: ToolCall, _toolResult: ToolResult, _iteration: number): Promise<void> {}
  async onGovernanceEvent(
    _runId: string,
    _eventType: string,
    _iteration: number,
    _data: Record<string, unknown>,
    _info: { correlationId: string | null },
  ): Promise<void> {}
}
