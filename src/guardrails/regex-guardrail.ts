import { ValidationError } from "../errors/validation-error.js";
import type { Finding, Guardrail, GuardrailAction } from "../types/guardrail.js";
import type { Pattern } from "./pattern.js";
import { detectFindings, type GuardrailEngineOption } from "./detector.js";

export function checkAction(action: unknown, allowed: readonly GuardrailAction[], extra = ""): GuardrailAction {
  if (!allowed.includes(action as GuardrailAction)) {
    throw new ValidationError({
      field: "action",
      message: `Invalid action: ${JSON.stringify(action)}. Must be ${allowed.map((a) => `"${a}"`).join(", ").replace(/, ([^,]*)$/, " or $1")}.${extra}`,
    });
  }
  return action as GuardrailAction;
}

/** Findings of every pattern, non-overlapping within a pattern, sorted by start. */
export function scanPatterns(patterns: readonly Pattern[], text: string): Finding[] {
  const findings: Finding[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern.compiled)) {
      if (match[0].length === 0) continue;
      findings.push({ entityType: pattern.name, start: match.index, end: match.index + match[0].length, score: 1, text: match[0] });
    }
  }
  return findings.sort((a, b) => a.start - b.start);
}

/**
 * A guardrail made of regex patterns and, optionally, a detection engine: its
 * findings and the patterns' are returned together, sorted by start.
 */
export abstract class RegexGuardrail implements Guardrail {
  readonly action: GuardrailAction;
  readonly patterns: readonly Pattern[];
  /** `"regex"` (the patterns alone) or the detector that runs before them. */
  readonly engine: GuardrailEngineOption;

  protected constructor(action: GuardrailAction, patterns: readonly Pattern[], engine: GuardrailEngineOption = "regex") {
    this.action = action;
    this.patterns = Object.freeze([...patterns]);
    this.engine = engine;
  }

  scan(text: string): Finding[] | Promise<Finding[]> {
    const matched = scanPatterns(this.patterns, text);
    if (this.engine === "regex") return matched;
    return detectFindings(this.engine, text).then((detected) => [...detected, ...matched].sort((a, b) => a.start - b.start));
  }
}
