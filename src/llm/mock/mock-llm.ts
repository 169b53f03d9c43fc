import { ProviderError } from "../../errors/provider-error.js";
import type { LLMProvider, LLMRequest, ProviderCallOptions, ProviderCapabilities } from "../provider.js";
import type { LLMResponse } from "../../types/llm-response.js";
import type { Message } from "../../types/message.js";
import type { ProviderStreamEvent } from "../../types/run-event.js";
import type { ToolCall, ToolDef } from "../../types/tool-call.js";
import type { UsageStats } from "../../types/usage.js";
import { newId } from "../../util/ulid.js";

/** A scripted tool call; `id` defaults to a fresh ULID. */
export interface MockToolCall {
  readonly name: string;
  readonly params?: Record<string, unknown>;
  readonly id?: string;
  readonly providerToolCallId?: string | null;
}

/** One scripted answer. */
export interface MockResponse {
  readonly text?: string | null;
  readonly toolCalls?: readonly MockToolCall[];
  readonly usage?: Partial<UsageStats>;
  readonly reasoning?: string | null;
  readonly model?: string;
}

/**
 * A script step: a string is a final text answer; an `Error` is thrown by
 * that call (to test failures); a function computes the answer from the request.
 */
export type MockStep = string | MockResponse | Error | ((request: LLMRequest) => MockResponse | string | Promise<MockResponse | string>);

/** One request the mock received. */
export interface MockCall {
  /** The conversation, system message excluded. */
  readonly messages: readonly Message[];
  readonly tools: readonly ToolDef[] | null;
  readonly system: string | null;
  readonly options: ProviderCallOptions;
  readonly runId: string | undefined;
  readonly cacheKeyPrefix: string | null | undefined;
  readonly outputSchema: Record<string, unknown> | undefined;
}

export interface MockLLMOptions {
  /** @default "mock" */
  readonly model?: string;
  readonly capabilities?: Partial<ProviderCapabilities>;
  /** Characters per streamed text chunk. @default 8 */
  readonly chunkSize?: number;
}

/** Usage a scripted answer reports when the script does not say: small fixed numbers. */
export const MOCK_DEFAULT_USAGE = { inputTokens: 10, outputTokens: 5 } as const;

function toUsage(partial: Partial<UsageStats> | undefined): UsageStats {
  const inputTokens = partial?.inputTokens ?? MOCK_DEFAULT_USAGE.inputTokens;
  const outputTokens = partial?.outputTokens ?? MOCK_DEFAULT_USAGE.outputTokens;
  return {
    inputTokens,
    outputTokens,
    totalTokens: partial?.totalTokens ?? inputTokens + outputTokens,
    costUsd: partial?.costUsd ?? null,
    cacheReadInputTokens: partial?.cacheReadInputTokens ?? null,
    cacheCreationInputTokens: partial?.cacheCreationInputTokens ?? null,
    reasoningTokens: partial?.reasoningTokens ?? null,
  };
}

function toToolCall(call: MockToolCall): ToolCall {
  return { id: call.id ?? newId(), name: call.name, params: call.params ?? {}, providerToolCallId: call.providerToolCallId ?? null };
}

/**
 * A scripted provider for tests and offline demos. Each call consumes the next
 * step of the script; running out of script is an error naming the count.
 *
 * @example
 * const llm = new MockLLM([
 *   { toolCalls: [{ name: "add", params: { a: 15, b: 27 } }] },
 *   "15 + 27 = 42",
 * ]);
 */
export class MockLLM implements LLMProvider {
  readonly model: string;
  readonly capabilities: Partial<ProviderCapabilities>;
  readonly #script: MockStep[];
  readonly #chunkSize: number;
  readonly #calls: MockCall[] = [];

  constructor(script: readonly MockStep[], options: MockLLMOptions = {}) {
    this.#script = [...script];
    this.model = options.model ?? "mock";
    this.#chunkSize = options.chunkSize ?? 8;
    this.capabilities = {
      supportsNativeTools: true,
      supportsToolCallIds: true,
      supportsStreaming: true,
      supportsStructuredOutput: true,
      ...options.capabilities,
    };
  }

  /** Every request received, in order. */
  get calls(): readonly MockCall[] {
    return this.#calls;
  }

  get callsMade(): number {
    return this.#calls.length;
  }

  get exhausted(): boolean {
    return this.#calls.length >= this.#script.length;
  }

  async complete(request: LLMRequest): Promise<LLMResponse> {
    const index = this.#calls.length;
    const step = this.#script[index];
    if (step === undefined) {
      throw new ProviderError(`MockLLM exhausted: ${index} calls made but only ${this.#script.length} responses provided`);
    }
    const system = request.messages.find((m) => m.role === "system");
    this.#calls.push({
      messages: request.messages.filter((m) => m.role !== "system"),
      tools: request.tools,
      system: system?.content ?? null,
      options: request.options,
      runId: request.runId,
      cacheKeyPrefix: request.cacheKeyPrefix,
      outputSchema: request.outputSchema,
    });
    if (step instanceof Error) throw step;
    const resolved = typeof step === "function" ? await step(request) : step;
    const scripted: MockResponse = typeof resolved === "string" ? { text: resolved } : resolved;
    const toolCalls = scripted.toolCalls && scripted.toolCalls.length > 0 ? scripted.toolCalls.map(toToolCall) : null;
    return {
      text: scripted.text ?? null,
      toolCalls,
      usage: toUsage(scripted.usage),
      model: scripted.model ?? request.options.model ?? this.model,
      reasoning: scripted.reasoning ?? null,
      providerRequest: null,
      providerResponse: null,
    };
  }

  /** Streams the scripted answer: reasoning, text in chunks, then each tool call. */
  async *stream(request: LLMRequest): AsyncGenerator<ProviderStreamEvent> {
    const response = await this.complete(request);
    if (response.reasoning) yield { type: "reasoning_delta", text: response.reasoning };
    const text = response.text ?? "";
    for (let i = 0; i < text.length; i += this.#chunkSize) {
      yield { type: "text_delta", text: text.slice(i, i + this.#chunkSize) };
    }
    for (const call of response.toolCalls ?? []) {
      yield { type: "tool_use_start", toolName: call.name, toolCallId: call.providerToolCallId };
      yield { type: "tool_use_end", toolCall: call, toolCallId: call.providerToolCallId };
    }
    yield { type: "done", response };
  }

  async close(): Promise<void> {}

  /** `await using llm = new MockLLM(…)` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
