/**
 * A `Detector` for a named-entity-recognition service speaking the Presidio
 * analyzer's HTTP API (`POST /analyze` → `[{ entity_type, start, end, score }]`),
 * e.g. `docker run -p 5002:3000 mcr.microsoft.com/presidio-analyzer`, or the
 * examples' local stand-in (`presidio-stand-in.ts`).
 */
import type { DetectedEntity, Detector } from "dendrux/guardrails";

interface AnalyzerResult {
  readonly entity_type: string;
  readonly start: number;
  readonly end: number;
  readonly score: number;
}

/** The service counts characters as Python does (code points); JavaScript strings count UTF-16 units. */
function utf16Offsets(text: string): (codePointIndex: number) => number {
  const offsets: number[] = [];
  let unit = 0;
  for (const ch of text) {
    offsets.push(unit);
    unit += ch.length;
  }
  offsets.push(unit);
  return (index) => offsets[Math.min(index, offsets.length - 1)]!;
}

export function presidioDetector(baseUrl: string, options: { language?: string; scoreThreshold?: number } = {}): Detector {
  return {
    name: "presidio",
    async detect(text: string): Promise<DetectedEntity[]> {
      const response = await fetch(`${baseUrl}/analyze`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text, language: options.language ?? "en", score_threshold: options.scoreThreshold ?? 0.5 }),
        signal: AbortSignal.timeout(10_000),
      });
      // A failing detector fails the run: nothing unscanned reaches the model.
      if (!response.ok) throw new Error(`NER service answered HTTP ${response.status}`);
      const results = (await response.json()) as AnalyzerResult[];
      const at = utf16Offsets(text);
      return results.map((r) => ({ entityType: r.entity_type, start: at(r.start), end: at(r.end), score: r.score }));
    },
  };
}
