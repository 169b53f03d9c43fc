import { ValidationError } from "../errors/validation-error.js";
import type { GuardrailAction } from "../types/guardrail.js";
import { Pattern } from "./pattern.js";
import { checkAction, RegexGuardrail } from "./regex-guardrail.js";
import { checkEngine, type GuardrailEngineOption } from "./detector.js";

export interface PromptInjectionOptions {
  /** Your patterns — none ship, injection threats are domain-specific. Required with the `"regex"` engine. */
  readonly patterns?: readonly Pattern[];
  /**
   * `"regex"` (your patterns) or a `Detector`, such as a classifier service;
   * with a detector, `patterns` are optional and apply as well. @default "regex"
   */
  readonly engine?: GuardrailEngineOption;
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
    const engine = checkEngine(options?.engine ?? "regex");
    const patterns = options?.patterns ?? [];
    if ((engine === "regex" && patterns.length === 0) || !Array.isArray(patterns) || !patterns.every((p) => p instanceof Pattern)) {
      throw new ValidationError({
        field: "patterns",
        message: "PromptInjection requires patterns: [new Pattern(name, regex), ...] (or a detection engine). No defaults ship — prompt-injection threats are domain-specific.",
      });
    }
    super(action, patterns, engine);
  }
}
