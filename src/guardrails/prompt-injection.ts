import { ValidationError } from "../errors/validation-error.js";
import type { GuardrailAction } from "../types/guardrail.js";
import { Pattern } from "./pattern.js";
import { checkAction, RegexGuardrail } from "./regex-guardrail.js";

export interface PromptInjectionOptions {
  /** Your patterns — none ship, injection threats are domain-specific. */
  readonly patterns: readonly Pattern[];
  /** `"block"` or `"warn"`. @default "block" */
  readonly action?: GuardrailAction;
}

/**
 * Prompt-injection patterns in user input, tool results (before they reach
 * the model again), model output and tool arguments. Never redacts: there is
 * no value to restore.
 */
export class PromptInjection extends RegexGuardrail {
  constructor(options: PromptInjectionOptions) {
    const action = checkAction(
      options?.action ?? "block",
      ["block", "warn"],
      " PromptInjection does not support \"redact\": there is no value to restore, and a replaced match leaves confusing tokens mid-context.",
    );
    const patterns = options?.patterns ?? [];
    if (patterns.length === 0 || !patterns.every((p) => p instanceof Pattern)) {
      throw new ValidationError({ field: "patterns", message: "PromptInjection requires patterns: [new Pattern(name, regex), ...]. No defaults ship — prompt-injection threats are domain-specific." });
    }
    super(action, patterns);
  }
}
