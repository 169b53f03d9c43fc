import { logger } from "../../util/logger.js";
import type { StoredEvent } from "../records.js";

const FETCH_BATCH = 500;
const BUFFER_MAX = 1000;

/** Event types after which a run writes nothing more. */
export const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set(["run.completed", "run.cancelled", "run.error", "run.interrupted", "run.abandoned"]);

export interface ChannelSource {
  events(runId: string, after: number, limit: number): Promise<StoredEvent[]>;
  head(runId: string): Promise<number>;
}

/** Wake-up functions waiting for a change; each is called once. */
export class Waiters {
  readonly #waiting = new Set<() => void>();
  /** Counts wake-ups, so a reader can tell whether anything changed since it last looked. */
  version = 0;

  add(wake: () => void): () => void {
    this.#waiting.add(wake);
    return () => this.#waiting.delete(wake);
  }

  wake(): void {
    this.version += 1;
    const all = [...this.#waiting];
    this.#waiting.clear();
    for (const wake of all) wake();
  }
}

/**
 * One watched run, shared by every viewer in the process: it reads new events
 * once per signal (or poll tick) and keeps the latest ones, so a thousand
 * viewers of one run cost one query per write, not a thousand.
 */
export class RunChannel {
  readonly runId: string;
  readonly changed = new Waiters();
  /** Highest sequence index read so far. */
  head = -1;
  /** The buffer holds every event with a sequence index above this, up to `head`. */
  bufferFrom = -1;
  buffer: StoredEvent[] = [];
  refs = 0;
  readonly ready: Promise<void>;
  readonly #source: ChannelSource;
  #isReady = false;
  #pending = false;
  #fetching = false;
  #again = false;
  #poller: ReturnType<typeof setInterval> | null = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  readonly #retryMs: number;
  #closed = false;

  constructor(runId: string, source: ChannelSource, options: { pollIntervalMs: number | null; retryMs: number }) {
    this.runId = runId;
    this.#source = source;
    this.#retryMs = options.retryMs;
    this.ready = source.head(runId).then((head) => {
      this.head = head;
      this.bufferFrom = head;
      this.#isReady = true;
      if (this.#pending) this.refresh();
    });
    this.ready.catch(() => undefined);
    if (options.pollIntervalMs !== null) {
      // Not unref'd: a reader waiting on the run keeps the process alive, as a socket would.
      this.#poller = setInterval(() => this.#isReady && this.refresh(), options.pollIntervalMs);
    }
  }

  /** A writer reports events up to `sequenceIndex`. */
  notify(sequenceIndex: number): void {
    if (!this.#isReady) {
      this.#pending = true;
      return;
    }
    if (sequenceIndex > this.head) this.refresh();
  }

  /** Reads what was written after `head` (coalescing concurrent requests into one more read). */
  refresh(): void {
    if (this.#closed) return;
    if (!this.#isReady) {
      this.#pending = true;
      return;
    }
    if (this.#fetching) {
      this.#again = true;
      return;
    }
    this.#fetching = true;
    void this.#drain().finally(() => {
      this.#fetching = false;
    });
  }

  async #drain(): Promise<void> {
    try {
      do {
        this.#again = false;
        let batch: StoredEvent[];
        do {
          batch = await this.#source.events(this.runId, this.head, FETCH_BATCH);
          if (this.#closed) return;
          this.#append(batch);
        } while (batch.length === FETCH_BATCH);
      } while (this.#again);
    } catch (error) {
      logger.warn(`Reading new events of run ${this.runId} failed; retrying`, error);
      this.#retry ??= setTimeout(() => {
        this.#retry = null;
        this.refresh();
      }, this.#retryMs);
    }
  }

  #append(events: StoredEvent[]): void {
    const fresh = events.filter((e) => e.sequenceIndex > this.head);
    if (fresh.length === 0) return;
    this.buffer.push(...fresh);
    this.head = fresh[fresh.length - 1]!.sequenceIndex;
    if (this.buffer.length > BUFFER_MAX) {
      const dropped = this.buffer.splice(0, this.buffer.length - BUFFER_MAX);
      this.bufferFrom = dropped[dropped.length - 1]!.sequenceIndex;
    }
    this.changed.wake();
  }

  /**
   * Events after `cursor` that are already known: from the buffer when it
   * covers the cursor, else from the database (a late joiner's backlog).
   */
  async after(cursor: number, limit: number): Promise<StoredEvent[]> {
    if (cursor >= this.head) return [];
    if (cursor >= this.bufferFrom) {
      const out: StoredEvent[] = [];
      for (const event of this.buffer) {
        if (event.sequenceIndex > cursor) out.push(event);
        if (out.length >= limit) break;
      }
      return out;
    }
    return this.#source.events(this.runId, cursor, limit);
  }

  close(): void {
    this.#closed = true;
    if (this.#poller) clearInterval(this.#poller);
    if (this.#retry) clearTimeout(this.#retry);
    this.changed.wake();
  }
}
