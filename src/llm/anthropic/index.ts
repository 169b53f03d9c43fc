/**
 * `AnthropicProvider`: Claude through the official `@anthropic-ai/sdk`.
 * @module
 */
export { AnthropicProvider } from "./anthropic-provider.js";
export type { AnthropicProviderOptions } from "./anthropic-provider.js";
export type { CacheTtl } from "./to-anthropic-request.js";
