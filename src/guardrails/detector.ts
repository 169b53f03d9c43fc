import { ValidationError } from "../errors/validation-error.js";
import type { Finding } from "../types/guardrail.js";

/**
 * One entity a detector found: its type (it becomes the placeholder prefix,
 * `PERSON` → `<<PERSON_1>>`) and its `[start, end)` offsets in the scanned
 * text, in UTF-16 code units as JavaScript strings count them.
 */
export interface DetectedEntity {
  readonly entityType: string;
  readonly start: number;
  readonly end: number;
  /** 0..1, the detector's confidence. @default 1 */
  readonly score?: number;
}

/**
 * A detection engine for `PII` and `PromptInjection`: anything that finds
 * entities in a text, such as a named-entity-recognition service reached
 * over HTTP. It only finds; the guardrail's action decides what happens.
 * Throwing (or returning offsets outside the text) fails the run: nothing
 * unscanned reaches the model.
 *
 * @example
 * const ner: Detector = {
 *   name: "ner-service",
 *   async detect(text) {
 *     const response = await fetch("http://ner.internal/analyze", { method: "POST", body: JSON.stringify({ text }) });
 *     return (await response.json()).map((e) => ({ entityType: e.entity_type, start: e.start, end: e.end, score: e.score }));
 *   },
 * };
 * new PII({ engine: ner });
 */
export interface Detector {
  /** Named in errors about what it returned. @default "custom" */
  readonly name?: string;
  detect(text: string): readonly DetectedEntity[] | Promise<readonly DetectedEntity[]>;
}

/** What a guardrail's `engine` option takes: the built-in regular expressions, or your detector. */
export type GuardrailEngineOption = "regex" | Detector;

/** Checks an `engine` option at construction. */
export function checkEngine(engine: unknown): GuardrailEngineOption {
  if (engine === "regex") return engine;
  if (engine !== null && typeof engine === "object" && typeof (engine as Detector).detect === "function") return engine as Detector;
  throw new ValidationError({ field: "engine", message: `Invalid engine: ${typeof engine === "string" ? JSON.stringify(engine) : typeof engine}. Must be "regex" or a detector with a detect(text) method.` });
}

/**
 * A detector's answer as findings: types upper-cased (anything outside
 * `A-Z_` becomes `_`, so placeholders keep their shape), the matched text
 * taken from the scanned text itself, and offsets checked.
 */
export async function detectFindings(detector: Detector, text: string): Promise<Finding[]> {
  const who = `Guardrail engine '${detector.name ?? "custom"}'`;
  const entities = await detector.detect(text);
  if (!Array.isArray(entities)) throw new ValidationError({ field: "engine", message: `${who} must return an array of { entityType, start, end, score? }.` });
  return entities.map((e: DetectedEntity, i) => {
    const ok =
      e !== null &&
      typeof e === "object" &&
      typeof e.entityType === "string" &&
      e.entityType.length > 0 &&
      Number.isInteger(e.start) &&
      Number.isInteger(e.end) &&
      e.start >= 0 &&
      e.start < e.end &&
      e.end <= text.length;
    if (!ok) {
      throw new ValidationError({
        field: "engine",
        message: `${who} returned an invalid entity at index ${i}: it needs a non-empty entityType and integer offsets 0 <= start < end <= ${text.length} (the text's length).`,
      });
    }
    const entityType = e.entityType.toUpperCase().replace(/[^A-Z_]/g, "_").replace(/^_+/, "") || "ENTITY";
    return { entityType, start: e.start, end: e.end, score: typeof e.score === "number" ? e.score : 1, text: text.slice(e.start, e.end) };
  });
}
