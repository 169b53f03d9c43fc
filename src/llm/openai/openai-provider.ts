import type { WireJson } from "../shared/wire-json.js";
import type { LLMResponse } from "../../types/llm-response.js";
import type { ProviderStreamEvent } from "../../types/run-event.js";
import type { ToolCall } from "../../types/tool-call.js";
import { logger } from "../../util/logger.js";
import { newId } from "../../util/ulid.js";
import { type LLMProvider, type LLMRequest, type ProviderCapabilities, VENDOR_CAPABILITIES } from "../provider.js";
import { retryTelemetryFetch } from "../shared/call-context.js";
import { wrapTransportError } from "../shared/errors.js";
import { assertSdkInstalled, loadApiKey } from "../shared/load-sdk.js";
import { normaliseEffort, parseArgumentsLossy, parseArgumentsStrict } from "../shared/parse-arguments.js";
import { outputSchemaName } from "../shared/output-schema.js";
import { strictSchema } from "../shared/strict-schema.js";
import { mapOpenAIUsage } from "./from-openai-usage.js";
import { toOpenAIChatMessages, toOpenAIChatTools } from "./to-openai-chat.js";

type OpenAISdk = typeof import("openai");
type OpenAIClient = InstanceType<OpenAISdk["default"]>;

export interface OpenAIProviderOptions {
  readonly model: string;
  /** @default process.env.OPENAI_API_KEY (local servers: any non-empty placeholder) */
  readonly apiKey?: string;
  /** An OpenAI-compatible server (vLLM, Ollama, Groq…). @default process.env.OPENAI_BASE_URL, else OpenAI */
  readonly baseURL?: string;
  /** `max_completion_tokens` on OpenAI, `max_tokens` elsewhere. @default 16000 */
  readonly maxTokens?: number;
  readonly temperature?: number;
  /** `reasoning_effort` ("extra" → "xhigh"). */
  readonly effort?: string;
  /** @default 120000 */
  readonly timeoutMs?: number;
  /** @default 3 */
  readonly maxRetries?: number;
  /** `"in-memory"` or `"24h"`; official endpoint only. */
  readonly promptCacheRetention?: string;
  /** Extra HTTP headers on every request. */
  readonly defaultHeaders?: Record<string, string>;
  /** Extra top-level JSON fields on every request. */
  readonly extraBody?: Record<string, unknown>;
}

const OFFICIAL_BASE_URL = "https://api.openai.com/v1";
const DEFAULTS = { maxTokens: 16_000, timeoutMs: 120_000, maxRetries: 3 } as const;
const FORWARDED: readonly [string, string][] = [
  ["topP", "top_p"],
  ["stop", "stop"],
  ["frequencyPenalty", "frequency_penalty"],
  ["presencePenalty", "presence_penalty"],
  ["seed", "seed"],
  ["toolChoice", "tool_choice"],
];

export interface ProviderIdentity {
  readonly providerClass: string;
  readonly api: string;
  readonly envVar: string;
  readonly missingKey: string;
}

const OPENAI_IDENTITY: ProviderIdentity = {
  providerClass: "OpenAIProvider",
  api: "OpenAI API",
  envVar: "OPENAI_API_KEY",
  missingKey:
    "OpenAIProvider needs an API key. Pass apiKey or set the OPENAI_API_KEY environment variable. " +
    "For local OpenAI-compatible servers (vLLM, Ollama, LM Studio), pass any non-empty placeholder, e.g. apiKey: \"not-needed\".",
};

/**
 * OpenAI Chat Completions through the official `openai` SDK (an optional peer
 * dependency), and any OpenAI-compatible server via `baseURL`. On the official
 * endpoint it sends `max_completion_tokens` and a `prompt_cache_key`; elsewhere
 * `max_tokens` and no OpenAI-only fields.
 *
 * @see https://platform.openai.com/docs/api-reference/chat
 */
export class OpenAIProvider implements LLMProvider {
  readonly model: string;
  readonly capabilities: Partial<ProviderCapabilities> = { ...VENDOR_CAPABILITIES, maxContextTokens: 128_000 };
  protected readonly options: OpenAIProviderOptions & { readonly maxTokens: number; readonly timeoutMs: number; readonly maxRetries: number };
  readonly #identity: ProviderIdentity;
  readonly #apiKey: string;
  readonly #baseURL: string;
  #warnedSampling = false;
  #client: Promise<{ sdk: OpenAISdk; client: OpenAIClient }> | null = null;

  constructor(options: OpenAIProviderOptions, identity: ProviderIdentity = OPENAI_IDENTITY) {
    if (!options?.model || !options.model.trim()) throw new Error(`${identity.providerClass} needs a model, e.g. { model: "gpt-4o" }.`);
    assertSdkInstalled("openai", identity.providerClass);
    this.#identity = identity;
    this.#apiKey = loadApiKey({ apiKey: options.apiKey, envVar: identity.envVar, message: identity.missingKey });
    this.#baseURL = (options.baseURL ?? process.env.OPENAI_BASE_URL ?? OFFICIAL_BASE_URL).replace(/\/+$/, "");
    this.model = options.model;
    this.options = Object.freeze({ ...DEFAULTS, ...options });
  }

  /** The official endpoint gets OpenAI-only parameters; compatible servers do not. */
  get isOfficialEndpoint(): boolean {
    return this.#baseURL === OFFICIAL_BASE_URL;
  }

  get baseURL(): string {
    return this.#baseURL;
  }

  #sdk(): Promise<{ sdk: OpenAISdk; client: OpenAIClient }> {
    this.#client ??= import("openai").then((sdk) => ({
      sdk,
      client: new sdk.default({
        apiKey: this.#apiKey,
        baseURL: this.#baseURL,
        timeout: this.options.timeoutMs,
        maxRetries: this.options.maxRetries,
        fetch: retryTelemetryFetch(),
        ...(this.options.defaultHeaders ? { defaultHeaders: this.options.defaultHeaders } : {}),
      }),
    }));
    return this.#client;
  }

  /** Refuses, before a run starts, a structured-output schema strict mode cannot enforce. */
  checkOutputSchema(schema: Record<string, unknown>): void {
    strictSchema(schema);
  }

  /** The request body, exactly as sent (recorded as `provider_request`). */
  buildRequest(request: LLMRequest): Record<string, unknown> {
    const o = this.options;
    const call = request.options;
    const body: Record<string, unknown> = { model: call.model ?? o.model, messages: toOpenAIChatMessages(request.messages) };
    const tools = toOpenAIChatTools(request.tools);
    if (tools) body.tools = tools;
    const maxTokens = call.maxCompletionTokens ?? call.maxTokens ?? o.maxTokens;
    body[this.isOfficialEndpoint ? "max_completion_tokens" : "max_tokens"] = maxTokens;
    const temperature = "temperature" in call ? call.temperature : o.temperature;
    const effort = normaliseEffort((call.effort as string | undefined) ?? o.effort) ?? (call.reasoningEffort as string | undefined);
    if (!effort && temperature !== undefined) body.temperature = temperature;
    if (effort) body.reasoning_effort = effort;
    for (const [from, to] of FORWARDED) if (call[from] !== undefined) body[to] = call[from];
    if (effort && (temperature !== undefined || body.top_p !== undefined)) {
      // Reasoning models answer 400 to sampling parameters.
      delete body.top_p;
      this.#warnSamplingDropped();
    }
    if (this.isOfficialEndpoint) {
      const key = request.cacheKeyPrefix || request.runId;
      if (key) body.prompt_cache_key = `dendrux:${key}`;
      if (o.promptCacheRetention) body.prompt_cache_retention = o.promptCacheRetention;
    }
    if (request.outputSchema) {
      const schema = request.outputSchema;
      body.response_format = {
        type: "json_schema",
        json_schema: { name: outputSchemaName(schema), strict: true, schema: strictSchema(schema) },
      };
    }
    const extra = { ...o.extraBody, ...(call.extraBody as Record<string, unknown> | undefined) };
    // Extra fields go on the top level of the JSON body, as the SDKs' `extra_body` does.
    if (Object.keys(extra).length > 0) Object.assign(body, extra);
    return body;
  }

  #warnSamplingDropped(): void {
    if (this.#warnedSampling) return;
    this.#warnedSampling = true;
    logger.warn(`${this.#identity.providerClass}: temperature and top_p are not sent while reasoning effort is set (reasoning models reject them).`);
  }

  /** Hook run before each request (OpenRouter's native-tools check). */
  protected async beforeRequest(_request: LLMRequest): Promise<void> {}

  #wrap(error: unknown, sdk: OpenAISdk, streaming: boolean): unknown {
    const { providerClass, api } = this.#identity;
    return wrapTransportError(error, sdk, { providerClass, api, model: this.model, timeoutMs: this.options.timeoutMs, streaming });
  }

  async complete(request: LLMRequest): Promise<LLMResponse> {
    await this.beforeRequest(request);
    const { sdk, client } = await this.#sdk();
    const body = this.buildRequest(request);
    let completion: WireJson;
    try {
      completion = (await client.chat.completions.create(body as never, { signal: request.signal })) as never;
    } catch (error) {
      throw this.#wrap(error, sdk, false);
    }
    const choice = completion.choices?.[0];
    if (!choice) throw new Error(`OpenAI returned a ChatCompletion with no choices. Model: ${this.model}`);
    const calls: ToolCall[] = (choice.message?.tool_calls ?? []).map((c: WireJson) => ({
      id: newId(),
      name: c.function?.name,
      params: parseArgumentsStrict(c.function?.arguments ?? "", c.function?.name, c.id),
      providerToolCallId: c.id,
    }));
    return {
      text: choice.message?.content ?? null,
      toolCalls: calls.length > 0 ? calls : null,
      usage: mapOpenAIUsage(completion.usage),
      model: String(body.model),
      providerRequest: body,
      providerResponse: completion,
    };
  }

  async *stream(request: LLMRequest): AsyncGenerator<ProviderStreamEvent> {
    await this.beforeRequest(request);
    const { sdk, client } = await this.#sdk();
    const body = this.buildRequest(request);
    const model = String(body.model);
    let chunks: AsyncIterable<WireJson>;
    try {
      chunks = (await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } } as never, { signal: request.signal })) as never;
    } catch (error) {
      if (error instanceof sdk.BadRequestError) {
        throw new Error(
          `Streaming request rejected by endpoint at ${this.#baseURL}. If this endpoint does not support streaming, use agent.run() instead. Original error: ${error.message}`,
          { cause: error },
        );
      }
      throw this.#wrap(error, sdk, true);
    }
    let text = "";
    let usage = mapOpenAIUsage(null);
    let finishReason: string | null = null;
    const buffers = new Map<number, { id: string | null; name: string | null; args: string; announced: boolean }>();
    const calls: ToolCall[] = [];
    for await (const chunk of chunks) {
      if (chunk.usage) usage = mapOpenAIUsage(chunk.usage);
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = choice.delta ?? {};
      if (delta.content) {
        text += delta.content;
        yield { type: "text_delta", text: delta.content };
      }
      for (const part of delta.tool_calls ?? []) {
        const buffer = buffers.get(part.index) ?? { id: null, name: null, args: "", announced: false };
        buffers.set(part.index, buffer);
        buffer.id ||= part.id || null;
        buffer.name ||= part.function?.name || null;
        if (part.function?.arguments) buffer.args += part.function.arguments;
        if (buffer.name && !buffer.announced) {
          buffer.announced = true;
          yield { type: "tool_use_start", toolName: buffer.name, toolCallId: buffer.id };
        }
      }
      if (choice.finish_reason) {
        finishReason = choice.finish_reason;
        for (const index of [...buffers.keys()].sort((a, b) => a - b)) {
          const b = buffers.get(index)!;
          if (!b.name) logger.warn(`Tool call completed with no name — provider=openai model=${model} call_id=${b.id}`);
          else if (!b.announced) yield { type: "tool_use_start", toolName: b.name, toolCallId: b.id };
          const call: ToolCall = {
            id: newId(),
            name: b.name ?? "unknown",
            params: parseArgumentsLossy(b.args, { provider: "openai", model, tool: b.name ?? "unknown", callId: b.id }),
            providerToolCallId: b.id,
          };
          calls.push(call);
          yield { type: "tool_use_end", toolCall: call, toolCallId: b.id };
        }
        buffers.clear();
      }
    }
    yield {
      type: "done",
      response: {
        text: text || null,
        toolCalls: calls.length > 0 ? calls : null,
        usage,
        model,
        providerRequest: body,
        providerResponse: {
          object: "chat.completion.chunked",
          finish_reason: finishReason,
          usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.totalTokens },
        },
      },
    };
  }

  async close(): Promise<void> {
    this.#client = null;
  }

  /** `await using provider = new …` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
