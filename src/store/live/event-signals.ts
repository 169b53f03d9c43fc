/**
 * In-process signals that a run has new events: "run id + highest sequence
 * index". Whoever appends events calls `signalEvents` after the write is
 * visible; every live hub in the process listens. A signal is only a hint to
 * read the database, so one for a run another database holds costs nothing.
 */
export type EventSignalListener = (runId: string, highestSequenceIndex: number) => void;

const listeners = new Set<EventSignalListener>();

/** Tells this process's live hubs that `runId` has events up to `highestSequenceIndex`. */
export function signalEvents(runId: string, highestSequenceIndex: number): void {
  for (const listener of listeners) {
    try {
      listener(runId, highestSequenceIndex);
    } catch {
      // A listener's failure must never fail the writer.
    }
  }
}

/** Subscribes to in-process event signals; returns the unsubscribe function. */
export function onEventSignal(listener: EventSignalListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The PostgreSQL `NOTIFY` channel. Notifications never cross databases, so one name serves every database. */
export const EVENTS_CHANNEL = "dendrux_run_events";

/** `<run id> <sequence index>`: the `NOTIFY` payload. */
export function parseEventPayload(payload: string | undefined): { runId: string; sequenceIndex: number } | null {
  if (!payload) return null;
  const at = payload.lastIndexOf(" ");
  if (at <= 0) return null;
  const sequenceIndex = Number(payload.slice(at + 1));
  return Number.isSafeInteger(sequenceIndex) ? { runId: payload.slice(0, at), sequenceIndex } : null;
}
