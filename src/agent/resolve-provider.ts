import { ValidationError } from "../errors/validation-error.js";
import { AnthropicProvider } from "../llm/anthropic/anthropic-provider.js";
import { OpenAIProvider } from "../llm/openai/openai-provider.js";
import { OpenAIResponsesProvider } from "../llm/openai-responses/openai-responses-provider.js";
import { OpenRouterProvider } from "../llm/openrouter/openrouter-provider.js";
import type { LLMProvider } from "../llm/provider.js";

const VENDORS = ["anthropic", "openai", "openai-responses", "openrouter"] as const;

/** Accepts a provider instance; recipe strings (`"vendor:model"`) are parsed and checked. */
export function resolveProvider(provider: LLMProvider | string | undefined): LLMProvider {
  if (typeof provider === "string") {
    const colon = provider.indexOf(":");
    const vendor = colon < 0 ? "" : provider.slice(0, colon).trim().toLowerCase();
    const model = colon < 0 ? "" : provider.slice(colon + 1).trim();
    if (!vendor || !model) {
      throw new ValidationError({
        field: "provider",
        message: `Invalid provider spec ${JSON.stringify(provider)}. Use "vendor:model", e.g. "anthropic:claude-haiku-4-5".`,
      });
    }
    if (!(VENDORS as readonly string[]).includes(vendor)) {
      throw new ValidationError({
        field: "provider",
        message: `Unknown provider vendor ${JSON.stringify(vendor)}. Supported: ${VENDORS.join(", ")}. Or pass a provider instance you construct yourself.`,
      });
    }
    try {
      switch (vendor) {
        case "anthropic":
          return new AnthropicProvider({ model });
        case "openai":
          return new OpenAIProvider({ model });
        case "openai-responses":
          return new OpenAIResponsesProvider({ model });
        default:
          return new OpenRouterProvider({ model });
      }
    } catch (error) {
      throw new ValidationError({ field: "provider", message: (error as Error).message });
    }
  }
  if (!provider || typeof provider !== "object" || typeof (provider as LLMProvider).complete !== "function") {
    throw new ValidationError({ field: "provider", message: "Agent requires a provider: pass a provider instance or a \"vendor:model\" string." });
  }
  return provider;
}
