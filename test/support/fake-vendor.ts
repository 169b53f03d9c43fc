import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake vendor received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** What to answer: a JSON body, or an SSE stream of `[event, data]` pairs (event `null` = data-only line). */
export type FakeReply =
  | { readonly status?: number; readonly headers?: Record<string, string>; readonly json: unknown }
  | { readonly status?: number; readonly headers?: Record<string, string>; readonly sse: readonly (readonly [string | null, unknown])[] };

/**
 * A loopback HTTP server speaking a vendor's wire format from a script of
 * replies, recording what the official SDK actually sent.
 */
export class FakeVendor {
  readonly requests: RecordedRequest[] = [];
  readonly #replies: FakeReply[];
  readonly #server: Server;
  url = "";

  constructor(replies: readonly FakeReply[]) {
    this.#replies = [...replies];
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        this.requests.push({ method: req.method!, path: req.url!, headers: req.headers, body: text ? JSON.parse(text) : {} });
        const reply = this.#replies.shift();
        if (!reply) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: "fake vendor: out of script" } }));
          return;
        }
        if ("json" in reply) {
          res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
          res.end(JSON.stringify(reply.json));
          return;
        }
        res.writeHead(reply.status ?? 200, { "content-type": "text/event-stream", ...reply.headers });
        for (const [event, data] of reply.sse) {
          const payload = typeof data === "string" ? data : JSON.stringify(data);
          res.write(event ? `event: ${event}\ndata: ${payload}\n\n` : `data: ${payload}\n\n`);
        }
        res.end();
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((r) => this.#server.close(r));
  }
}
