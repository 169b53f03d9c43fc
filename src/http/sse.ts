import type { StoredEvent } from "../store/records.js";
import { pythonJsonDumps } from "../util/python-json.js";
import type { ThreadEvent } from "../store/live/event-hub.js";
import { sseEventJson, threadSseEventJson } from "./wire.js";

// Viewers of one run share the hub's event objects: each frame is serialised once, not once per viewer.
const frames = new WeakMap<StoredEvent, string>();

/** `id: <seq>\nevent: message\ndata: <json>\n\n` — the JSON in the reference's SSE serialisation. */
export function toSseFrame(event: StoredEvent): string {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = `id: ${event.sequenceIndex}\nevent: message\ndata: ${pythonJsonDumps(sseEventJson(event))}\n\n`;
    frames.set(event, frame);
  }
  return frame;
}

/** A thread stream frame: the `id` is the thread cursor, so `Last-Event-ID` resumes exactly there. */
export function toThreadSseFrame(item: ThreadEvent): string {
  return `id: ${item.cursor}\nevent: message\ndata: ${pythonJsonDumps(threadSseEventJson(item.runId, item.event))}\n\n`;
}

export const KEEPALIVE_FRAME = ": keepalive\n\n";
