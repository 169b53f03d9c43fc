import type { Finding } from "../types/guardrail.js";
import type { LLMResponse } from "../types/llm-response.js";
import type { Message } from "../types/message.js";
import type { LlmCallCompletedDetails, LlmCallDetails } from "../types/notifier.js";
import type { ToolCall, ToolResult } from "../types/tool-call.js";

/**
 * What a loop reports as it runs. The runtime implements it: each call is
 * recorded (fail-closed) and then passed to the caller's notifier (fail-open).
 */
export interface LoopHooks {
  messageAppended(runId: string, message: Message, iteration: number): Promise<void>;
  llmCallStarted(runId: string, iteration: number, details: LlmCallDetails): Promise<void>;
  llmCallCompleted(runId: string, response: LLMResponse, iteration: number, details: LlmCallCompletedDetails): Promise<void>;
  llmCallFailed(runId: string, iteration: number, error: unknown, durationMs: number): Promise<void>;
  toolStarted(runId: string, call: ToolCall, iteration: number): Promise<void>;
  toolCompleted(runId: string, call: ToolCall, result: ToolResult, iteration: number): Promise<void>;
  governance(runId: string, eventType: string, iteration: number, data: Record<string, unknown>, correlationId?: string | null): Promise<void>;
}

/** What scanning the messages before an LLM call found. */
export interface IncomingScan {
  /** The messages as the provider sees them. */
  readonly messages: Message[];
  readonly findings: Finding[];
  readonly changed: boolean;
  readonly blocked: string | null;
}

/** What scanning a model's answer and tool arguments found (detection only). */
export interface OutgoingScan {
  readonly findings: Finding[];
  readonly blocked: string | null;
}

/** A run's guardrails as a loop uses them; implemented by the runtime. */
export interface LoopGuard {
  /** Before an LLM call: redacts what the provider will see, or blocks. */
  incoming(messages: readonly Message[]): Promise<IncomingScan>;
  /** After an LLM call: scans the answer and each tool call's arguments. */
  outgoing(text: string | null, calls: readonly ToolCall[]): Promise<OutgoingScan>;
  /** Real values for placeholders, at any depth (tools get real arguments). */
  deanonymize<T>(value: T): T;
  /**
   * `true` when a guardrail may block the model's output: a streamed answer is
   * then shown only once it passed the scan, never a blocked one in pieces.
   */
  readonly mayBlockOutput: boolean;
}

/** An advisory token budget (`Budget` satisfies it). */
export interface BudgetLimits {
  readonly maxTokens: number;
  readonly warnAt: readonly number[];
}
