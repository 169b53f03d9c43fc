import { ValidationError } from "../errors/validation-error.js";
import { Pattern } from "./pattern.js";
import { checkAction, RegexGuardrail } from "./regex-guardrail.js";
import { checkEngine, type GuardrailEngineOption } from "./detector.js";
import type { GuardrailAction } from "../types/guardrail.js";

/** The built-in entities (Presidio's names), as the reference defines them. */
export const PII_PATTERNS: readonly Pattern[] = Object.freeze([
  new Pattern("EMAIL_ADDRESS", String.raw`[a-zA-Z0-9._%+\-]+@[a-zA-Z0-9.\-]+\.[a-zA-Z]{2,}`),
  new Pattern("PHONE_NUMBER", String.raw`\+?1?[-.\s]?\(?\d{3}\)?[-.\s]?\d{3}[-.\s]?\d{4}`),
  new Pattern("US_SSN", String.raw`\b\d{3}-\d{2}-\d{4}\b`),
  new Pattern("CREDIT_CARD", String.raw`\b\d{4}[-\s]?\d{4}[-\s]?\d{4}[-\s]?\d{4}\b`),
  new Pattern("IP_ADDRESS", String.raw`\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`),
]);

export interface PIIOptions {
  /** @default "redact" */
  readonly action?: GuardrailAction;
  /**
   * How PII is found: `"regex"` (the built-in patterns) or a `Detector`, such
   * as a named-entity-recognition service that also finds names and places.
   * `extraPatterns` apply with either engine; the built-in patterns only with
   * `"regex"`. @default "regex"
   */
  readonly engine?: GuardrailEngineOption;
  /** Extra entities, scanned after the built-ins. */
  readonly extraPatterns?: readonly Pattern[];
  /** With the `"regex"` engine: scan for the built-in entities. @default true */
  readonly includeDefaults?: boolean;
}

/**
 * Personal data: emails, phone numbers, US SSNs, card numbers, IPv4
 * addresses, plus your own patterns, or whatever your detection `engine`
 * finds. By default values are replaced with `<<ENTITY_N>>` placeholders
 * before the model sees them and restored in the answer and in tool arguments.
 */
export class PII extends RegexGuardrail {
  constructor(options: PIIOptions = {}) {
    const action = checkAction(options.action ?? "redact", ["redact", "block", "warn"]);
    const extra = options.extraPatterns ?? [];
    if (!extra.every((p) => p instanceof Pattern)) throw new ValidationError({ field: "extraPatterns", message: "extraPatterns must be Pattern instances." });
    const engine = checkEngine(options.engine ?? "regex");
    const defaults = engine === "regex" && options.includeDefaults !== false ? PII_PATTERNS : [];
    super(action, [...defaults, ...extra], engine);
  }
}
