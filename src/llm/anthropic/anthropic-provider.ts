import type { WireJson } from "../shared/wire-json.js";
import type { LLMResponse } from "../../types/llm-response.js";
import type { ProviderStreamEvent } from "../../types/run-event.js";
import type { ToolCall } from "../../types/tool-call.js";
import { logger } from "../../util/logger.js";
import { newId } from "../../util/ulid.js";
import { pythonJsonDumps } from "../../util/python-json.js";
import { type LLMProvider, type LLMRequest, type ProviderCapabilities, VENDOR_CAPABILITIES } from "../provider.js";
import { retryTelemetryFetch } from "../shared/call-context.js";
import { wrapTransportError } from "../shared/errors.js";
import { assertSdkInstalled, loadApiKey } from "../shared/load-sdk.js";
import { normaliseEffort, parseArgumentsLossy } from "../shared/parse-arguments.js";
import { mapAnthropicContent, mapAnthropicUsage } from "./from-anthropic-response.js";
import { applyCacheMarkers, type CacheTtl, toAnthropicMessages, toAnthropicTools } from "./to-anthropic-request.js";

type AnthropicSdk = typeof import("@anthropic-ai/sdk");
type AnthropicClient = InstanceType<AnthropicSdk["default"]>;

export interface AnthropicProviderOptions {
  readonly model: string;
  /** @default process.env.ANTHROPIC_API_KEY */
  readonly apiKey?: string;
  /** @default process.env.ANTHROPIC_BASE_URL, else the SDK's default */
  readonly baseURL?: string;
  /** @default 16000 */
  readonly maxTokens?: number;
  /** Sent only while thinking is off. */
  readonly temperature?: number;
  /** @default 120000 */
  readonly timeoutMs?: number;
  /** SDK retries on 408/409/429/5xx and connection errors, honouring retry-after. @default 3 */
  readonly maxRetries?: number;
  /** Extended thinking (adaptive unless `thinkingBudget`). @default false */
  readonly thinking?: boolean;
  /** `output_config.effort` while thinking ("extra" → "xhigh"). */
  readonly effort?: string;
  /** Summarised thinking text in the response. @default true */
  readonly showThinking?: boolean;
  /** Manual thinking budget in tokens. */
  readonly thinkingBudget?: number;
  /** Prompt-cache TTL for every breakpoint. */
  readonly cacheTtl?: CacheTtl;
}

const DEFAULTS = { maxTokens: 16_000, timeoutMs: 120_000, maxRetries: 3, thinking: false, showThinking: true } as const;
const STRUCTURED_TOOL = "structured_output";

/** The forced structured-output tool's input, as the answer's JSON text. */
function structuredText(content: readonly Record<string, unknown>[]): string {
  const block = content.find((b) => b.type === "tool_use" && b.name === STRUCTURED_TOOL);
  if (!block) throw new Error("Anthropic structured output: expected a tool_use block named 'structured_output' but none was found in the response.");
  return pythonJsonDumps(block.input ?? {});
}

/**
 * Claude through the official `@anthropic-ai/sdk` (an optional peer
 * dependency). Shape translation only: prompt-cache breakpoints, thinking,
 * tool_use / tool_result round trips, usage with cache and reasoning tokens.
 *
 * @see https://docs.anthropic.com/en/api/messages
 */
export class AnthropicProvider implements LLMProvider {
  readonly model: string;
  readonly capabilities: Partial<ProviderCapabilities> = { ...VENDOR_CAPABILITIES, maxContextTokens: 200_000 };
  readonly #options: Required<Pick<AnthropicProviderOptions, keyof typeof DEFAULTS>> & AnthropicProviderOptions;
  readonly #apiKey: string;
  #warnedSampling = false;
  #client: Promise<{ sdk: AnthropicSdk; client: AnthropicClient }> | null = null;

  constructor(options: AnthropicProviderOptions) {
    if (!options?.model || !options.model.trim()) throw new Error("AnthropicProvider needs a model, e.g. { model: \"claude-haiku-4-5\" }.");
    assertSdkInstalled("@anthropic-ai/sdk", "AnthropicProvider");
    this.#apiKey = loadApiKey({
      apiKey: options.apiKey,
      envVar: "ANTHROPIC_API_KEY",
      message: "AnthropicProvider needs an API key. Pass apiKey or set the ANTHROPIC_API_KEY environment variable.",
    });
    this.model = options.model;
    this.#options = Object.freeze({ ...DEFAULTS, ...options });
  }

  #sdk(): Promise<{ sdk: AnthropicSdk; client: AnthropicClient }> {
    this.#client ??= import("@anthropic-ai/sdk").then((sdk) => ({
      sdk,
      client: new sdk.default({
        apiKey: this.#apiKey,
        baseURL: this.#options.baseURL ?? process.env.ANTHROPIC_BASE_URL ?? undefined,
        timeout: this.#options.timeoutMs,
        maxRetries: this.#options.maxRetries,
        fetch: retryTelemetryFetch(),
      }),
    }));
    return this.#client;
  }

  /** The request body, exactly as sent (recorded as `provider_request`). */
  buildRequest(request: LLMRequest): Record<string, unknown> {
    const o = this.#options;
    const call = request.options;
    const converted = toAnthropicMessages(request.messages);
    const cached = applyCacheMarkers(converted.system, converted.messages, {
      ...(o.cacheTtl ? { ttl: o.cacheTtl } : {}),
      markFirst: request.messages.some((m) => m.placement === "stable"),
    });
    const body: Record<string, unknown> = {
      model: call.model ?? o.model,
      max_tokens: call.maxTokens ?? o.maxTokens,
      ...(cached.system ? { system: cached.system } : {}),
      messages: cached.messages,
    };
    const tools = toAnthropicTools(request.tools);
    if (tools) body.tools = tools;
    const thinking = (call.thinking as boolean | undefined) ?? o.thinking;
    if (thinking) {
      const budget = (call.thinkingBudget as number | undefined) ?? o.thinkingBudget;
      const display = ((call.showThinking as boolean | undefined) ?? o.showThinking) ? "summarized" : "omitted";
      body.thinking = budget ? { type: "enabled", budget_tokens: budget, display } : { type: "adaptive", display };
      const effort = normaliseEffort((call.effort as string | undefined) ?? o.effort);
      if (effort) body.output_config = { effort };
    }
    const temperature = "temperature" in call ? call.temperature : o.temperature;
    if (!thinking && temperature !== undefined) body.temperature = temperature;
    for (const [from, to] of [["topP", "top_p"], ["topK", "top_k"], ["stopSequences", "stop_sequences"]] as const) {
      if (call[from] !== undefined) body[to] = call[from];
    }
    if (thinking && (temperature !== undefined || body.top_k !== undefined)) {
      // Extended thinking answers 400 to temperature and top_k.
      delete body.top_k;
      this.#warnSamplingDropped();
    }
    if (request.outputSchema) {
      body.tools = [{ name: STRUCTURED_TOOL, description: "Return your response in this exact format.", input_schema: request.outputSchema }];
      body.tool_choice = { type: "tool", name: STRUCTURED_TOOL };
    }
    return body;
  }

  #warnSamplingDropped(): void {
    if (this.#warnedSampling) return;
    this.#warnedSampling = true;
    logger.warn("AnthropicProvider: temperature and top_k are not sent while thinking is on (extended thinking rejects them).");
  }

  #wrap(error: unknown, sdk: AnthropicSdk, streaming: boolean): unknown {
    return wrapTransportError(error, sdk, { providerClass: "AnthropicProvider", api: "Anthropic API", model: this.model, timeoutMs: this.#options.timeoutMs, streaming });
  }

  async complete(request: LLMRequest): Promise<LLMResponse> {
    const { sdk, client } = await this.#sdk();
    const body = this.buildRequest(request);
    let message: Record<string, unknown>;
    try {
      message = (await client.messages.create(body as never, { signal: request.signal })) as unknown as Record<string, unknown>;
    } catch (error) {
      throw this.#wrap(error, sdk, false);
    }
    const content = (message.content as Record<string, unknown>[]) ?? [];
    const usage = mapAnthropicUsage(message.usage as Record<string, unknown>);
    if (request.outputSchema) {
      return { text: structuredText(content), toolCalls: null, usage, model: String(body.model), providerRequest: body, providerResponse: message };
    }
    const mapped = mapAnthropicContent(content);
    return { ...mapped, usage, model: String(body.model), providerRequest: body, providerResponse: message };
  }

  async *stream(request: LLMRequest): AsyncGenerator<ProviderStreamEvent> {
    const { sdk, client } = await this.#sdk();
    const body = this.buildRequest(request);
    const model = String(body.model);
    // Structured output arrives as the forced tool's input: its JSON streams as text.
    const structured = request.outputSchema !== undefined;
    let inStructured = false;
    let text = "";
    let hasText = false;
    const calls: ToolCall[] = [];
    let open: { name: string; id: string; json: string } | null = null;
    let deltaThinkingTokens: number | null = null;
    let final: Record<string, unknown>;
    try {
      const stream = client.messages.stream(body as never, { signal: request.signal });
      for await (const raw of stream as AsyncIterable<Record<string, unknown>>) {
        const event = raw as WireJson;
        if (event.type === "content_block_start" && structured && event.content_block?.type === "tool_use" && event.content_block.name === STRUCTURED_TOOL) {
          inStructured = true;
        } else if (event.type === "content_block_start" && event.content_block?.type === "tool_use") {
          open = { name: event.content_block.name, id: event.content_block.id, json: "" };
          yield { type: "tool_use_start", toolName: open.name, toolCallId: open.id };
        } else if (event.type === "content_block_delta") {
          const delta = event.delta ?? {};
          if (delta.type === "text_delta") {
            text += delta.text;
            hasText = true;
            yield { type: "text_delta", text: delta.text };
          } else if (delta.type === "thinking_delta") {
            yield { type: "reasoning_delta", text: delta.thinking };
          } else if (delta.type === "input_json_delta" && inStructured) {
            if (delta.partial_json) yield { type: "text_delta", text: delta.partial_json };
          } else if (delta.type === "input_json_delta" && open) {
            open.json += delta.partial_json ?? "";
          }
        } else if (event.type === "content_block_stop" && inStructured) {
          inStructured = false;
        } else if (event.type === "content_block_stop" && open) {
          const params = parseArgumentsLossy(open.json, { provider: "anthropic", model, tool: open.name, callId: open.id });
          const call: ToolCall = { id: newId(), name: open.name, params, providerToolCallId: open.id };
          calls.push(call);
          open = null;
          yield { type: "tool_use_end", toolCall: call, toolCallId: call.providerToolCallId };
        } else if (event.type === "message_delta") {
          const thinkingTokens = event.usage?.output_tokens_details?.thinking_tokens;
          if (typeof thinkingTokens === "number") deltaThinkingTokens = thinkingTokens;
        }
      }
      final = (await stream.finalMessage()) as unknown as Record<string, unknown>;
    } catch (error) {
      throw this.#wrap(error, sdk, true);
    }
    const usage = mapAnthropicUsage(final.usage as Record<string, unknown>);
    if (usage.reasoningTokens === null && deltaThinkingTokens !== null) usage.reasoningTokens = deltaThinkingTokens;
    const content = (final.content as Record<string, unknown>[]) ?? [];
    const mapped = mapAnthropicContent(content);
    yield {
      type: "done",
      response: {
        text: structured ? structuredText(content) : hasText ? text : null,
        toolCalls: calls.length > 0 ? calls : null,
        usage,
        model,
        reasoning: mapped.reasoning,
        ...(mapped.assistantMeta ? { assistantMeta: mapped.assistantMeta } : {}),
        providerRequest: body,
        providerResponse: final,
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
