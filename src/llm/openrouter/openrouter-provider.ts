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

/** One entry of OpenRouter's model catalog. */
export interface OpenRouterModel {
  readonly id: string;
  readonly name: string;
  readonly contextLength: number | null;
  readonly supportedParameters: readonly string[];
  readonly supportsTools: boolean;
}

type Catalog = Map<string, OpenRouterModel> | "unavailable";
const catalogs = new Map<string, Promise<Catalog>>();

async function fetchCatalog(baseURL: string): Promise<Map<string, OpenRouterModel>> {
  const response = await fetch(`${baseURL}/models`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = (await response.json()) as { data?: Record<string, unknown>[] };
  const models = new Map<string, OpenRouterModel>();
  for (const entry of body.data ?? []) {
    if (typeof entry.id !== "string") continue;
    const params = Array.isArray(entry.supported_parameters) ? entry.supported_parameters.filter((p): p is string => typeof p === "string") : [];
    models.set(entry.id, {
      id: entry.id,
      name: typeof entry.name === "string" ? entry.name : entry.id,
      contextLength: typeof entry.context_length === "number" ? entry.context_length : null,
      supportedParameters: params,
      supportsTools: params.includes("tools"),
    });
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
