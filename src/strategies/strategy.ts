import type { AgentStep } from "../types/agent-step.js";
import type { LLMResponse } from "../types/llm-response.js";
import type { Message } from "../types/message.js";
import type { ToolDef, ToolResult } from "../types/tool-call.js";

export interface BuildMessagesInput {
  readonly systemPrompt: string;
  readonly history: readonly Message[];
  readonly toolDefs: readonly ToolDef[];
}

export interface BuiltRequest {
  readonly messages: readonly Message[];
  /** `null` means: offer no native tools. */
  readonly tools: readonly ToolDef[] | null;
}

/**
 * Message formatting: the only place that decides the shape of a request
 * (system message, conversation, tool list) and how a response becomes a step.
 */
export interface Strategy {
  /** Stored in `agent_runs.strategy`, e.g. `"NativeToolCalling"`. */
  readonly name: string;
  buildMessages(input: BuildMessagesInput): BuiltRequest;
  parseResponse(response: LLMResponse): AgentStep;
  formatToolResult(result: ToolResult): Message;
}
