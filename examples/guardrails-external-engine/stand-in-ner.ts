/**
 * An offline stand-in for a NER service: the Presidio analyzer's `/analyze`
 * wire format, recognising names and places from a small list. Good enough to
 * run the example without Docker; point PRESIDIO_URL at the real service for
 * real recognition.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const KNOWN: Record<string, readonly string[]> = {
  PERSON: ["Ada Lovelace", "Grace Hopper", "Alan Turing"],
  LOCATION: ["London", "Zürich", "New York"],
};

/** Offsets in code points, as the Python service reports them. */
function analyze(text: string) {
  const chars = [...text];
  const results: { entity_type: string; start: number; end: number; score: number }[] = [];
  for (const [entityType, values] of Object.entries(KNOWN)) {
    for (const value of values) {
      const needle = [...value];
      for (let i = 0; i + needle.length <= chars.length; i++) {
        if (needle.every((ch, j) => chars[i + j] === ch)) results.push({ entity_type: entityType, start: i, end: i + needle.length, score: 0.85 });
      }
    }
  }
  return results.sort((a, b) => a.start - b.start);
}

export async function startStandInNer(): Promise<{ url: string; close: () => Promise<void> }> {
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
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
