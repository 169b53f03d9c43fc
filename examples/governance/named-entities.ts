/**
 * A guardrail backed by a named-entity recogniser: people, places and dates,
 * which no regular expression finds reliably. With `PRESIDIO_ANALYZER_URL`
 * set it asks a Presidio analyzer service (`docker run -p 5002:3000
 * mcr.microsoft.com/presidio-analyzer`); otherwise a small gazetteer stands
 * in for it, so the example runs anywhere.
 */
import type { Finding, Guardrail, GuardrailAction } from "dendrux";

const ENTITIES = ["PERSON", "LOCATION", "DATE_TIME"] as const;
const FIRST_NAMES = ["Alice", "Bob", "Carol", "Jane", "John", "Maria", "Omar"];
const PLACES = ["San Francisco", "New York", "London", "Paris", "Berlin", "Tokyo"];
const MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December";

/** The stand-in recogniser: known first names with a surname, known cities, "Month day year" dates. */
function gazetteer(text: string): Finding[] {
  const rules: [string, RegExp][] = [
    ["PERSON", new RegExp(String.raw`\b(?:${FIRST_NAMES.join("|")})\s+[A-Z][a-z]+\b`, "g")],
    ["LOCATION", new RegExp(String.raw`\b(?:${PLACES.join("|")})\b`, "g")],
    ["DATE_TIME", new RegExp(String.raw`\b(?:${MONTHS})\s+\d{1,2}(?:,?\s+\d{4})?\b`, "g")],
  ];
  return rules.flatMap(([entityType, rule]) => [...text.matchAll(rule)].map((m) => ({ entityType, start: m.index, end: m.index + m[0].length, score: 0.85, text: m[0] })));
}

/** Presidio's `POST /analyze`: `[{ entity_type, start, end, score }]`. */
async function presidio(url: string, text: string): Promise<Finding[]> {
  const response = await fetch(`${url}/analyze`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text, language: "en", entities: ENTITIES }),
  });
  if (!response.ok) throw new Error(`Presidio analyzer answered ${response.status}`);
  const results = (await response.json()) as { entity_type: string; start: number; end: number; score: number }[];
  return results.map((r) => ({ entityType: r.entity_type, start: r.start, end: r.end, score: r.score, text: text.slice(r.start, r.end) }));
}

/** People, places and dates, found by an NER service (or the stand-in) and redacted like the built-in PII. */
export class NamedEntities implements Guardrail {
  readonly action: GuardrailAction = "redact";
  readonly #url = process.env.PRESIDIO_ANALYZER_URL ?? null;

  async scan(text: string): Promise<readonly Finding[]> {
    return this.#url ? presidio(this.#url, text) : gazetteer(text);
  }
}
