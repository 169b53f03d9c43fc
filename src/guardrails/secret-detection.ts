import { ValidationError } from "../errors/validation-error.js";
import type { GuardrailAction } from "../types/guardrail.js";
import { Pattern } from "./pattern.js";
import { checkAction, RegexGuardrail } from "./regex-guardrail.js";

export const SECRET_PATTERNS: readonly Pattern[] = Object.freeze([
  new Pattern("AWS_ACCESS_KEY", String.raw`AKIA[0-9A-Z]{16}`),
  new Pattern("AWS_SECRET_KEY", String.raw`(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])`),
  new Pattern("GENERIC_API_KEY", String.raw`(?i)(?:api[_\-]?key|apikey|token|secret[_\-]?key)[=:\s]+["']?[A-Za-z0-9_\-]{20,}["']?`),
  new Pattern("PRIVATE_KEY", String.raw`-----BEGIN\s+(?:RSA\s+)?PRIVATE KEY-----`),
]);

export interface SecretDetectionOptions {
  /** @default "block" */
  readonly action?: GuardrailAction;
  readonly extraPatterns?: readonly Pattern[];
  /** @default true */
  readonly includeDefaults?: boolean;
}

/** Credentials: AWS keys, API keys and tokens, private key headers, plus your own patterns. Blocks by default. */
export class SecretDetection extends RegexGuardrail {
  constructor(options: SecretDetectionOptions = {}) {
    const action = checkAction(options.action ?? "block", ["redact", "block", "warn"]);
    const extra = options.extraPatterns ?? [];
    if (!extra.every((p) => p instanceof Pattern)) throw new ValidationError({ field: "extraPatterns", message: "extraPatterns must be Pattern instances." });
    super(action, [...(options.includeDefaults === false ? [] : SECRET_PATTERNS), ...extra]);
  }
}
