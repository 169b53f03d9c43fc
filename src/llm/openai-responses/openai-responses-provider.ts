import type { WireJson } from "../shared/wire-json.js";
import type { LLMResponse } from "../../types/llm-response.js";
import type { ProviderStreamEvent } from "../../types/run-event.js";
import type { ToolCall } from "../../types/tool-call.js";
import { logger } from "../../util/logger.js";
import { newId } from "../../util/ulid.js";
import { mapOpenAIUsage } from "../openai/from-openai-usage.js";
import { type LLMProvider, type LLMRequest, type ProviderCapabilities, VENDOR_CAPABILITIES } from "../provider.js";
import { retryTelemetryFetch } from "../shared/call-context.js";
import { wrapTransportError } from "../shared/errors.js";
import { assertSdkInstalled, loadApiKey } from "../shared/load-sdk.js";
import { normaliseEffort, parseArgumentsLossy, parseArgumentsStrict } from "../shared/parse-arguments.js";
import { outputSchemaName } from "../shared/output-schema.js";
import { strictSchema } from "../shared/strict-schema.js";
import { toResponsesInput, toResponsesTools } from "./to-responses-input.js";

type OpenAISdk = typeof import("openai");
type OpenAIClient = InstanceType<OpenAISdk["default"]>;
type Json = WireJson;

const BUILTIN_TOOLS = ["web_search_preview"] as const;

export interface OpenAIResponsesProviderOptions {
  readonly model: string;
  /** @default process.env.OPENAI_API_KEY */
  readonly apiKey?: string;
  /** @default process.env.OPENAI_BASE_URL, else OpenAI */
  readonly baseURL?: string;
  /** @default 16000 */
  readonly maxOutputTokens?: number;
  /** Hosted tools offered next to yours; only `"web_search_preview"`. */
  readonly builtinTools?: readonly (typeof BUILTIN_TOOLS)[number][];
  readonly temperature?: number;
  /** Ask for reasoning with a summary. @default false */
  readonly thinking?: boolean;
  /** `reasoning.effort` ("extra" → "xhigh"). */
  readonly effort?: string;
  /** `reasoning.summary: "auto"` while thinking. @default true */
  readonly showThinking?: boolean;
  /** @default 120000 */
  readonly timeoutMs?: number;
  /** @default 3 */
  readonly maxRetries?: number;
  readonly promptCacheRetention?: string;
}

/**
 * OpenAI's Responses API through the official `openai` SDK: function tools,
 * built-in web search, reasoning summaries.
 *
 * Limitation (as in the reference): reasoning items returned by reasoning
 * models are not sent back on later turns, so multi-turn tool use with a
 * reasoning model may lose some of the model's context.
 *
 * @see https://platform.openai.com/docs/api-reference/responses
 */
export class OpenAIResponsesProvider implements LLMProvider {
  readonly model: string;
  readonly capabilities: Partial<ProviderCapabilities> = { ...VENDOR_CAPABILITIES, maxContextTokens: 200_000 };
  readonly #o: OpenAIResponsesProviderOptions & { maxOutputTokens: number; timeoutMs: number; maxRetries: number; thinking: boolean; showThinking: boolean };
  readonly #apiKey: string;
  #warnedSampling = false;
  #client: Promise<{ sdk: OpenAISdk; client: OpenAIClient }> | null = null;

  constructor(options: OpenAIResponsesProviderOptions) {
    if (!options?.model || !options.model.trim()) throw new Error('OpenAIResponsesProvider needs a model, e.g. { model: "gpt-5" }.');
    for (const tool of options.builtinTools ?? []) {
      if (!(BUILTIN_TOOLS as readonly string[]).includes(tool)) throw new Error(`Unknown built-in tool '${tool}'. Supported: ${BUILTIN_TOOLS.join(", ")}`);
    }
    assertSdkInstalled("openai", "OpenAIResponsesProvider");
    this.#apiKey = loadApiKey({
      apiKey: options.apiKey,
      envVar: "OPENAI_API_KEY",
      message: "OpenAIResponsesProvider needs an API key. Pass apiKey or set the OPENAI_API_KEY environment variable.",
    });
    this.model = options.model;
    this.#o = Object.freeze({ maxOutputTokens: 16_000, timeoutMs: 120_000, maxRetries: 3, thinking: false, showThinking: true, ...options });
  }

  #sdk(): Promise<{ sdk: OpenAISdk; client: OpenAIClient }> {
    this.#client ??= import("openai").then((sdk) => ({
      sdk,
      client: new sdk.default({
        apiKey: this.#apiKey,
        baseURL: this.#o.baseURL ?? process.env.OPENAI_BASE_URL ?? undefined,
        timeout: this.#o.timeoutMs,
        maxRetries: this.#o.maxRetries,
        fetch: retryTelemetryFetch(),
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
    const o = this.#o;
    const call = request.options;
    const { instructions, input } = toResponsesInput(request.messages);
    const body: Record<string, unknown> = {
      model: call.model ?? o.model,
      input,
      max_output_tokens: call.maxOutputTokens ?? call.maxTokens ?? o.maxOutputTokens,
    };
    if (instructions) body.instructions = instructions;
    const tools = toResponsesTools(request.tools, o.builtinTools ?? []);
    if (tools) body.tools = tools;
    const temperature = "temperature" in call ? call.temperature : o.temperature;
    const thinking = (call.thinking as boolean | undefined) ?? o.thinking;
    const showThinking = (call.showThinking as boolean | undefined) ?? o.showThinking;
    const effort = normaliseEffort((call.effort as string | undefined) ?? o.effort) ?? (call.reasoningEffort as string | undefined);
    // Reasoning models answer 400 to sampling parameters.
    const sampling = !thinking && !effort;
    if (!sampling && (temperature !== undefined || call.topP !== undefined)) this.#warnSamplingDropped();
    if (sampling && temperature !== undefined) body.temperature = temperature;
    const reasoning: Record<string, string> = {};
    if (effort) reasoning.effort = effort;
    if (thinking && showThinking) reasoning.summary = "auto";
    if (Object.keys(reasoning).length > 0) body.reasoning = reasoning;
    if (sampling && call.topP !== undefined) body.top_p = call.topP;
    if (call.toolChoice !== undefined) body.tool_choice = call.toolChoice;
    const key = request.cacheKeyPrefix || request.runId;
    if (key) body.prompt_cache_key = `dendrux:${key}`;
    if (o.promptCacheRetention) body.prompt_cache_retention = o.promptCacheRetention;
    if (request.outputSchema) {
      const schema = request.outputSchema;
      body.text = {
        format: { type: "json_schema", name: outputSchemaName(schema), strict: true, schema: strictSchema(schema) },
      };
    }
    return body;
  }

  #warnSamplingDropped(): void {
    if (this.#warnedSampling) return;
    this.#warnedSampling = true;
    logger.warn("OpenAIResponsesProvider: temperature and top_p are not sent while reasoning is on (reasoning models reject them).");
  }

  #wrap(error: unknown, sdk: OpenAISdk, streaming: boolean): unknown {
    return wrapTransportError(error, sdk, {
      providerClass: "OpenAIResponsesProvider",
      api: "OpenAI Responses API",
      model: this.model,
      timeoutMs: this.#o.timeoutMs,
      streaming,
    });
  }

  async complete(request: LLMRequest): Promise<LLMResponse> {
    const { sdk, client } = await this.#sdk();
    const body = this.buildRequest(request);
    let response: Json;
    try {
      response = (await client.responses.create(body as never, { signal: request.signal })) as never;
    } catch (error) {
      throw this.#wrap(error, sdk, false);
    }
    const calls: ToolCall[] = [];
    let reasoning = "";
    let text = "";
    for (const item of (response.output ?? []) as Json[]) {
      if (item.type === "function_call") {
        calls.push({ id: newId(), name: item.name, params: parseArgumentsStrict(item.arguments ?? "", item.name, item.call_id), providerToolCallId: item.call_id });
      } else if (item.type === "reasoning") {
        for (const part of item.summary ?? []) if (part.text) reasoning += part.text;
      } else if (item.type === "message") {
        for (const part of item.content ?? []) if (part.type === "output_text") text += part.text ?? "";
      }
    }
    return {
      text: text || null,
      toolCalls: calls.length > 0 ? calls : null,
      usage: mapOpenAIUsage(response.usage),
      model: String(body.model),
      reasoning: reasoning || null,
      providerRequest: body,
      providerResponse: response,
    };
  }

  async *stream(request: LLMRequest): AsyncGenerator<ProviderStreamEvent> {
    const { sdk, client } = await this.#sdk();
    const body = this.buildRequest(request);
    const model = String(body.model);
    let events: AsyncIterable<Json>;
    try {
      events = (await client.responses.create({ ...body, stream: true } as never, { signal: request.signal })) as never;
    } catch (error) {
      if (error instanceof sdk.BadRequestError) {
        throw new Error(`Streaming request rejected by the Responses API endpoint. Use agent.run() for batch completion. Original error: ${error.message}`, { cause: error });
      }
      throw this.#wrap(error, sdk, true);
    }
    let text = "";
    let reasoning = "";
    const items = new Map<string, { name: string; callId: string }>();
    const calls: ToolCall[] = [];
    let completed: Json | null = null;
    for await (const event of events) {
      switch (event.type) {
        case "response.output_text.delta":
          if (event.delta) {
            text += event.delta;
            yield { type: "text_delta", text: event.delta };
          }
          break;
        case "response.reasoning_summary_text.delta":
          if (event.delta) {
            reasoning += event.delta;
            yield { type: "reasoning_delta", text: event.delta };
          }
          break;
        case "response.output_item.added":
          if (event.item?.type === "function_call") {
            items.set(event.item.id, { name: event.item.name, callId: event.item.call_id });
            yield { type: "tool_use_start", toolName: event.item.name, toolCallId: event.item.call_id };
          }
          break;
        case "response.function_call_arguments.done": {
          const known = items.get(event.item_id);
          if (!known) logger.warn(`Tool call completed with no matching start event — provider=openai_responses model=${model} item_id=${event.item_id}`);
          const name = known?.name ?? "unknown";
          const callId = known?.callId ?? event.item_id;
          const call: ToolCall = { id: newId(), name, params: parseArgumentsLossy(event.arguments, { provider: "openai_responses", model, tool: name, callId }), providerToolCallId: callId };
          calls.push(call);
          yield { type: "tool_use_end", toolCall: call, toolCallId: callId };
          break;
        }
        case "response.completed":
          completed = event.response;
          break;
        case "response.failed":
          throw new Error(`Responses API stream failed: ${event.response?.error?.message ?? event.error ?? "Unknown streaming error"}`);
      }
    }
    yield {
      type: "done",
      response: {
        text: text || null,
        toolCalls: calls.length > 0 ? calls : null,
        usage: mapOpenAIUsage(completed?.usage),
        model,
        reasoning: reasoning || null,
        providerRequest: body,
        providerResponse: completed,
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
