import type { Context } from "hono";
import { stream } from "hono/streaming";
import { KEEPALIVE_FRAME } from "./sse.js";

/**
 * Streams `frames` as Server-Sent Events until the client leaves: the
 * iterable gets a signal that aborts on disconnect, and a `: keepalive`
 * comment goes out after `keepaliveMs` without a frame.
 */
export function sseResponse(
  c: Context,
  keepaliveMs: number,
  frames: (signal: AbortSignal) => AsyncIterable<string>,
  onError: (error: unknown) => void,
): Response {
  c.header("cache-control", "no-cache");
  c.header("x-accel-buffering", "no");
  c.header("content-type", "text/event-stream; charset=utf-8");
  return stream(
    c,
    async (s) => {
      const closed = new AbortController();
      s.onAbort(() => closed.abort());
      c.req.raw.signal?.addEventListener("abort", () => closed.abort(), { once: true });
      let lastWrite = performance.now();
      const keepalive = setInterval(
        () => {
          if (closed.signal.aborted || performance.now() - lastWrite < keepaliveMs) return;
          lastWrite = performance.now();
          s.write(KEEPALIVE_FRAME).catch(() => closed.abort());
        },
        Math.max(5, Math.floor(keepaliveMs / 4)),
      );
      try {
        for await (const frame of frames(closed.signal)) {
          if (closed.signal.aborted) break;
          await s.write(frame);
          lastWrite = performance.now();
        }
      } finally {
        clearInterval(keepalive);
        closed.abort();
      }
    },
    async (error) => {
      onError(error);
    },
  );
}
