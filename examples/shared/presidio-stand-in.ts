/**
 * A Presidio analyzer for the examples: the real service when
 * `PRESIDIO_ANALYZER_URL` is set (`docker run -p 5002:3000
 * mcr.microsoft.com/presidio-analyzer`), else a local stand-in speaking its
 * HTTP API (`POST /analyze` → `[{ entity_type, start, end, score }]`). The
 * stand-in recognises what the examples say — people from a list of first
 * names, a few cities, "Month day year" dates, e-mail addresses and phone
 * numbers — which is enough to run them without Docker.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const FIRST_NAMES = ["Ada", "Alan", "Alice", "Bob", "Carol", "Grace", "Jane", "John", "Maria", "Omar"];
const PLACES = ["San Francisco", "New York", "London", "Paris", "Berlin", "Tokyo", "Zürich", "Lisbon"];
const MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December";
const RECOGNISERS: readonly (readonly [string, RegExp])[] = [
  ["PERSON", new RegExp(String.raw`\b(?:${FIRST_NAMES.join("|")})\s+[A-Z][a-z]+\b`, "g")],
  ["LOCATION", new RegExp(String.raw`(?<![\p{L}])(?:${PLACES.join("|")})(?![\p{L}])`, "gu")],
  ["DATE_TIME", new RegExp(String.raw`\b(?:${MONTHS})\s+\d{1,2}(?:,?\s+\d{4})?\b`, "g")],
  ["EMAIL_ADDRESS", /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g],
  ["PHONE_NUMBER", /\b\d{3}[-.\s]\d{3}[-.\s]\d{4}\b/g],
];

/** Offsets in code points, as the Python service reports them (JavaScript strings count UTF-16 units). */
function analyze(text: string) {
  const codePoint = (unit: number) => [...text.slice(0, unit)].length;
  return RECOGNISERS.flatMap(([entityType, rule]) =>
    [...text.matchAll(rule)].map((m) => ({ entity_type: entityType, start: codePoint(m.index), end: codePoint(m.index + m[0].length), score: 0.85 })),
  ).sort((a, b) => a.start - b.start);
}

export interface PresidioAnalyzer extends AsyncDisposable {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the stand-in on a free loopback port. */
export async function startPresidioStandIn(): Promise<PresidioAnalyzer> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/analyze") {
        res.writeHead(404).end();
        return;
      }
      const { text } = JSON.parse(body) as { text: string };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(analyze(text)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close, [Symbol.asyncDispose]: close };
}

/** The analyzer at `PRESIDIO_ANALYZER_URL`, else a started stand-in (closing the real one does nothing). */
export async function presidioAnalyzer(): Promise<PresidioAnalyzer> {
  const url = process.env.PRESIDIO_ANALYZER_URL;
  if (!url) return startPresidioStandIn();
  const close = async () => {};
  return { url, close, [Symbol.asyncDispose]: close };
}
