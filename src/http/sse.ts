import type { StoredEvent } from "../store/records.js";
import { pythonJsonDumps } from "../util/python-json.js";
import { sseEventJson } from "./wire.js";

/** `id: <seq>\nevent: message\ndata: <json>\n\n` — the JSON in the reference's SSE serialisation. */
export function toSseFrame(event: StoredEvent): string {
  return `id: ${event.sequenceIndex}\nevent: message\ndata: ${pythonJsonDumps(sseEventJson(event))}\n\n`;
}

export const KEEPALIVE_FRAME = ": keepalive\n\n";

/** Resolves after `ms`, or at once when `signal` aborts; never leaves a timer behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
