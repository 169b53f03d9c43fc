/**
 * `OpenAIResponsesProvider`: OpenAI's Responses API through the official `openai` SDK.
 * @module
 */
export { OpenAIResponsesProvider } from "./openai-responses-provider.js";
export type { OpenAIResponsesProviderOptions } from "./openai-responses-provider.js";
