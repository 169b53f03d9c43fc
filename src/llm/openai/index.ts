/**
 * `OpenAIProvider`: Chat Completions through the official `openai` SDK, and any OpenAI-compatible server.
 * @module
 */
export { OpenAIProvider } from "./openai-provider.js";
export type { OpenAIProviderOptions } from "./openai-provider.js";
