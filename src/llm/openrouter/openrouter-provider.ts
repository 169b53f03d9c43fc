import { ValidationError } from "../../errors/validation-error.js";
import { ProviderError } from "../../errors/provider-error.js";
import { logger } from "../../util/logger.js";
import { OpenAIProvider, type OpenAIProviderOptions } from "../openai/openai-provider.js";
import type { LLMRequest } from "../provider.js";

export interface OpenRouterProviderOptions extends Omit<OpenAIProviderOptions, "apiKey" | "promptCacheRetention"> {
  /** @default process.env.OPENROUTER_API_KEY */
  readonly apiKey?: string;
  /** Sent as `HTTP-Referer` for OpenRouter's app attribution. */
  readonly appUrl?: string;
  /** Sent as `X-Title`. */
  readonly appName?: string;
  /** Refuse (else warn about) models whose catalog entry lacks native tool support. @default true */
  readonly requireNativeTools?: boolean;
}

export const OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1";

/**
 * One entry of OpenRouter's model catalog, as a plain frozen snapshot: filter
 * the list with ordinary array methods, e.g.
 * `models.filter((m) => m.isFree && m.supportsTools)`.
 */
export interface OpenRouterModel {
  /** The model slug, e.g. `"deepseek/deepseek-chat"`. */
  readonly id: string;
  /** The display name; the id when the catalog gives none. */
  readonly name: string;
  /** The context window in tokens, when advertised. */
  readonly contextLength: number | null;
  /** Request parameters the model accepts (`"tools"`, `"temperature"`, …). */
  readonly supportedParameters: readonly string[];
  /** USD per input token; `0` for free models; `null` when unknown or variable (OpenRouter's `"-1"`). */
  readonly promptPrice: number | null;
  /** USD per output token; `0` for free models; `null` when unknown or variable. */
  readonly completionPrice: number | null;
  /** What the model reads (`"text"`, `"image"`, `"audio"`, …); empty when unknown. */
  readonly inputModalities: readonly string[];
  /** What the model writes; empty when unknown. */
  readonly outputModalities: readonly string[];
  /** `supportedParameters` includes `"tools"`: the model calls tools natively. */
  readonly supportsTools: boolean;
  /** Both prices are known and zero (unknown pricing is not free). */
  readonly isFree: boolean;
  /** The model reads something besides text (image, audio, …); unknown modalities are not multimodal. */
  readonly isMultimodal: boolean;
}

type Catalog = Map<string, OpenRouterModel> | "unavailable";
const catalogs = new Map<string, Promise<Catalog>>();

/** A per-token price; negative (OpenRouter's `"-1"` for variable pricing) or unparseable is unknown. */
function price(value: unknown): number | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  if (typeof value === "string" && value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** `architecture.input_modalities` (or `output_…`), else one side of the older `modality: "text+image->text"`. */
function modalities(architecture: Record<string, unknown>, key: "input_modalities" | "output_modalities"): string[] {
  if (Array.isArray(architecture[key])) return strings(architecture[key]);
  const legacy = architecture.modality;
  if (typeof legacy !== "string") return [];
  const sides = legacy.split("->");
  if (sides.length !== 2) return [];
  return sides[key === "input_modalities" ? 0 : 1]!.split("+").map((m) => m.trim()).filter((m) => m.length > 0);
}

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** One catalog entry; `null` for an entry without an id. */
function parseOpenRouterModel(entry: Record<string, unknown>): OpenRouterModel | null {
  if (typeof entry.id !== "string") return null;
  const params = strings(entry.supported_parameters);
  const pricing = record(entry.pricing);
  const architecture = record(entry.architecture);
  const promptPrice = price(pricing.prompt);
  const completionPrice = price(pricing.completion);
  const inputModalities = modalities(architecture, "input_modalities");
  return Object.freeze({
    id: entry.id,
    name: typeof entry.name === "string" && entry.name ? entry.name : entry.id,
    contextLength: typeof entry.context_length === "number" && Number.isFinite(entry.context_length) ? Math.trunc(entry.context_length) : null,
    supportedParameters: Object.freeze(params),
    promptPrice,
    completionPrice,
    inputModalities: Object.freeze(inputModalities),
    outputModalities: Object.freeze(modalities(architecture, "output_modalities")),
    supportsTools: params.includes("tools"),
    isFree: promptPrice === 0 && completionPrice === 0,
    isMultimodal: inputModalities.some((m) => m !== "text"),
  });
}

async function fetchCatalog(baseURL: string): Promise<Map<string, OpenRouterModel>> {
  const response = await fetch(`${baseURL}/models`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = (await response.json()) as { data?: unknown };
  const models = new Map<string, OpenRouterModel>();
  for (const entry of Array.isArray(body.data) ? body.data : []) {
    const model = parseOpenRouterModel(record(entry));
    if (model) models.set(model.id, model);
  }
  return models;
}

/**
 * OpenRouter: the OpenAI Chat Completions adapter preset for
 * `https://openrouter.ai/api/v1`, with `provider.require_parameters` set and a
 * guard that refuses models which would silently ignore your tools.
 *
 * @see https://openrouter.ai/docs/api-reference/overview
 */
export class OpenRouterProvider extends OpenAIProvider {
  readonly #requireNativeTools: boolean;
  readonly #verified = new Set<string>();
  readonly #warned = new Set<string>();

  constructor(options: OpenRouterProviderOptions) {
    const apiKey = options.apiKey || process.env.OPENROUTER_API_KEY;
    if (!apiKey) {
      throw new ValidationError({
        field: "apiKey",
        message: "OpenRouterProvider needs an API key. Pass apiKey or set the OPENROUTER_API_KEY environment variable (create one at https://openrouter.ai/keys).",
      });
    }
    const headers = { ...options.defaultHeaders };
    if (options.appUrl) headers["HTTP-Referer"] = options.appUrl;
    if (options.appName) headers["X-Title"] = options.appName;
    super(
      { ...options, apiKey, baseURL: options.baseURL ?? OPENROUTER_BASE_URL, ...(Object.keys(headers).length > 0 ? { defaultHeaders: headers } : {}) },
      { providerClass: "OpenRouterProvider", api: "OpenAI API", envVar: "OPENROUTER_API_KEY", missingKey: "OpenRouterProvider needs an API key." },
    );
    this.#requireNativeTools = options.requireNativeTools ?? true;
  }

  override buildRequest(request: LLMRequest): Record<string, unknown> {
    const body = super.buildRequest(request);
    const provider = (body.provider as Record<string, unknown> | undefined) ?? {};
    body.provider = { require_parameters: true, ...provider };
    return body;
  }

  /** The catalog, fetched once per process and base URL; a failed fetch is remembered. */
  #catalog(): Promise<Catalog> {
    const key = `${this.baseURL}/models`;
    let pending = catalogs.get(key);
    if (!pending) {
      pending = fetchCatalog(this.baseURL).catch((error: unknown) => {
        logger.warn(`Could not fetch OpenRouter model catalog from ${key}. Native-tool support cannot be verified; proceeding without the check`, error);
        return "unavailable" as const;
      });
      catalogs.set(key, pending);
    }
    return pending;
  }

  #warnOnce(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    logger.warn(message);
  }

  protected override async beforeRequest(request: LLMRequest): Promise<void> {
    if (!request.tools || request.tools.length === 0) return;
    const model = request.options.model ?? this.model;
    if (this.#verified.has(model)) return;
    const catalog = await this.#catalog();
    if (catalog === "unavailable") {
      this.#warnOnce(`${model}:unavailable`, `OpenRouter model catalog unavailable — cannot verify that '${model}' supports native tool calling. Proceeding.`);
      return;
    }
    const entry = catalog.get(model);
    if (!entry) {
      this.#warnOnce(`${model}:missing`, `Model '${model}' not found in the OpenRouter catalog — cannot verify native tool support. Proceeding.`);
      return;
    }
    if (entry.supportsTools) {
      this.#verified.add(model);
      return;
    }
    const message =
      `Model '${model}' (via OpenRouter) does not advertise native tool support (supported_parameters has no 'tools'). ` +
      "It will return plain text and never call your tools. Choose a tool-capable model " +
      "(see https://openrouter.ai/models?supported_parameters=tools), or run this agent without tools. " +
      "Pass requireNativeTools: false to downgrade this error to a warning.";
    if (this.#requireNativeTools) throw new ProviderError(message);
    this.#warnOnce(`${model}:no-tools`, message);
  }

  /** OpenRouter's model catalog (cached per process; `refresh` refetches). */
  async listModels(refresh = false): Promise<OpenRouterModel[]> {
    const key = `${this.baseURL}/models`;
    if (refresh || (await catalogs.get(key)) === "unavailable") catalogs.delete(key);
    if (!catalogs.has(key)) catalogs.set(key, fetchCatalog(this.baseURL));
    const catalog = await catalogs.get(key)!;
    if (catalog === "unavailable") throw new ProviderError("OpenRouter model catalog unavailable.");
    return [...catalog.values()];
  }
}
