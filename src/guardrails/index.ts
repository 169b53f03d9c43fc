/**
 * Guardrails: PII redaction, secret detection, prompt-injection patterns, pluggable
 * detection engines (`Detector`), the `Guardrail` interface and the `GuardEngine`
 * that applies them.
 * @module
 */
export { PII, PII_PATTERNS } from "./pii.js";
export type { PIIOptions } from "./pii.js";
export { SecretDetection, SECRET_PATTERNS } from "./secret-detection.js";
export type { SecretDetectionOptions } from "./secret-detection.js";
export { PromptInjection } from "./prompt-injection.js";
export type { PromptInjectionOptions } from "./prompt-injection.js";
export { Pattern } from "./pattern.js";
export type { DetectedEntity, Detector, GuardrailEngineOption } from "./detector.js";
export { GuardEngine } from "../runtime/guard-engine.js";
export type { Finding, Guardrail, GuardrailAction } from "../types/guardrail.js";
