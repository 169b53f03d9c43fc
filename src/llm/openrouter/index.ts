/**
 * `OpenRouterProvider`: the OpenAI-compatible preset for OpenRouter.
 * @module
 */
export { OpenRouterProvider, OPENROUTER_BASE_URL } from "./openrouter-provider.js";
export type { OpenRouterModel, OpenRouterProviderOptions } from "./openrouter-provider.js";
