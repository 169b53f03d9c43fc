/** What a guardrail does with its findings. */
export type GuardrailAction = "redact" | "block" | "warn";

/** One match in a scanned text: `[start, end)` offsets and the matched `text`. */
export interface Finding {
  /** Becomes the placeholder prefix (`EMAIL_ADDRESS` → `<<EMAIL_ADDRESS_1>>`). */
  readonly entityType: string;
  readonly start: number;
  readonly end: number;
  /** 0..1; regex scanners report 1. */
  readonly score: number;
  readonly text: string;
}

/**
 * A detector. Guardrails only find; the engine applies `action`: replace
 * with placeholders (`redact`), stop the run (`block`) or just report (`warn`).
 */
export interface Guardrail {
  readonly action: GuardrailAction;
  scan(text: string): readonly Finding[] | Promise<readonly Finding[]>;
}
