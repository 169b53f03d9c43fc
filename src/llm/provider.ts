import type { LLMResponse } from "../types/llm-response.js";
import type { Message } from "../types/message.js";
import type { ProviderStreamEvent } from "../types/run-event.js";
import type { ToolDef } from "../types/tool-call.js";

/** What a provider can do; the loop and the agent check these, never vendor names. */
export interface ProviderCapabilities {
  readonly supportsNativeTools: boolean;
  readonly supportsToolCallIds: boolean;
  readonly supportsStreaming: boolean;
  readonly supportsStreamingToolDeltas: boolean;
  readonly supportsThinking: boolean;
  readonly supportsMultimodal: boolean;
  readonly supportsSystemPrompt: boolean;
  readonly supportsParallelToolCalls: boolean;
  readonly supportsStructuredOutput: boolean;
  readonly maxContextTokens: number | null;
}

export const DEFAULT_CAPABILITIES: ProviderCapabilities = Object.freeze({
  supportsNativeTools: false,
  supportsToolCallIds: false,
  supportsStreaming: false,
  supportsStreamingToolDeltas: false,
  supportsThinking: false,
  supportsMultimodal: false,
  supportsSystemPrompt: true,
  supportsParallelToolCalls: false,
  supportsStructuredOutput: false,
  maxContextTokens: null,
});

/** What every built-in vendor adapter supports. */
export const VENDOR_CAPABILITIES: Partial<ProviderCapabilities> = Object.freeze({
  supportsNativeTools: true,
  supportsToolCallIds: true,
  supportsStreaming: true,
  supportsStreamingToolDeltas: true,
  supportsThinking: true,
  supportsParallelToolCalls: true,
  supportsStructuredOutput: true,
});

/** Per-call overrides passed through `run`/`stream`; providers ignore keys they do not know. */
export interface ProviderCallOptions {
  readonly model?: string;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly [key: string]: unknown;
}

/** One request to a provider: the system message first, then the conversation. */
export interface LLMRequest {
  readonly messages: readonly Message[];
  /** `null` when the agent has no tools. Sorted by name. */
  readonly tools: readonly ToolDef[] | null;
  readonly runId?: string;
  /** `"{agentName}:{model}"`, for vendors that key prompt caches. */
  readonly cacheKeyPrefix?: string | null;
  /** JSON Schema the answer must follow (structured output). */
  readonly outputSchema?: Record<string, unknown>;
  readonly options: ProviderCallOptions;
  readonly signal?: AbortSignal;
}

/**
 * The vendor-neutral model boundary. Adapters translate shapes and nothing
 * else: they never know about loops, tools' execution or persistence.
 */
export interface LLMProvider {
  /** The configured model name. */
  readonly model: string;
  readonly capabilities?: Partial<ProviderCapabilities>;
  complete(request: LLMRequest): Promise<LLMResponse>;
  /**
   * Optional: checked before a structured-output run starts. Throws a
   * `ValidationError` naming the field when this provider cannot enforce the
   * JSON Schema of the run's `outputType`.
   */
  checkOutputSchema?(schema: Record<string, unknown>): void;
  /** Optional live streaming; without it the runtime falls back to `complete`. */
  stream?(request: LLMRequest): AsyncIterable<ProviderStreamEvent>;
  close?(): Promise<void>;
}

export function capabilitiesOf(provider: LLMProvider): ProviderCapabilities {
  return { ...DEFAULT_CAPABILITIES, ...provider.capabilities };
}

/** The class name used in `llm_interactions.provider` (`MockLLM`, `AnthropicProvider`, …). */
export function providerName(provider: LLMProvider): string {
  return (provider as object).constructor?.name ?? "LLMProvider";
}

/**
 * A provider without native streaming: one `text_delta` with the whole text,
 * one `tool_use_end` per call, then `done`.
 */
export async function* fallbackStream(provider: LLMProvider, request: LLMRequest): AsyncGenerator<ProviderStreamEvent> {
  const response = await provider.complete(request);
  if (response.text) yield { type: "text_delta", text: response.text };
  for (const call of response.toolCalls ?? []) yield { type: "tool_use_end", toolCall: call, toolCallId: null };
  yield { type: "done", response };
}
