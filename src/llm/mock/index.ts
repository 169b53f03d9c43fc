/**
 * `MockLLM`: a scripted provider for tests and offline demos.
 * @module
 */
export { MockLLM, MOCK_DEFAULT_USAGE } from "./mock-llm.js";
export type { MockCall, MockLLMOptions, MockResponse, MockStep, MockToolCall } from "./mock-llm.js";
