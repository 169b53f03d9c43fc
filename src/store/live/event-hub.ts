import { logger } from "../../util/logger.js";
import type { StoredEvent } from "../records.js";
import { onEventSignal, parseEventPayload } from "./event-signals.js";
import { type ChannelSource, RunChannel, TERMINAL_EVENT_TYPES, Waiters } from "./run-channel.js";
import { ThreadCursor } from "./thread-cursor.js";

const READ_BATCH = 100;
const THREAD_CACHE_MAX = 10_000;

export interface HubSource extends ChannelSource {
  /** The thread's run ids, oldest first, within the viewer's scope (`scopeKey` names it). */
  threadRuns(threadId: string, scopeKey: string): Promise<string[]>;
  /** The run's `metadata.thread_id`, or `null`. */
  threadOf(runId: string): Promise<string | null>;
}

/** Where remote writes come from: pushed (PostgreSQL `LISTEN`) or not (then watched runs are polled). */
export interface PushSource {
  start(onSignal: (runId: string, sequenceIndex: number) => void, onCatchUp: () => void): Promise<void>;
  close(): Promise<void>;
}

export interface EventHubOptions {
  readonly source: HubSource;
  /** Poll period per watched run when nothing pushes remote writes. */
  readonly pollIntervalMs: number;
  readonly push: PushSource | null;
}

/** One event of a thread stream, with the cursor that resumes right after it. */
export interface ThreadEvent {
  readonly runId: string;
  readonly event: StoredEvent;
  readonly cursor: string;
}

interface ThreadChannel {
  readonly key: string;
  readonly threadId: string;
  readonly scopeKey: string;
  runs: string[];
  refs: number;
  ready: Promise<void>;
  readonly changed: Waiters;
  refreshing: boolean;
  again: boolean;
  poller: ReturnType<typeof setInterval> | null;
}

/**
 * The live side of a store: one channel per watched run and per watched
 * thread, fed by in-process signals, by `LISTEN` on PostgreSQL, and otherwise
 * by one poller per watched run. Viewers read from the channels, never the
 * database, except for their own backlog when they join late.
 */
export class EventHub {
  readonly #options: EventHubOptions;
  readonly #runs = new Map<string, RunChannel>();
  readonly #threads = new Map<string, ThreadChannel>();
  readonly #threadOf = new Map<string, string | null>();
  #started: Promise<void> | null = null;
  #unsubscribe: (() => void) | null = null;
  #closed = false;

  constructor(options: EventHubOptions) {
    this.#options = options;
  }

  #start(): Promise<void> {
    this.#started ??= (async () => {
      // With a push source every write (ours included) arrives through it; reading on both would read twice.
      if (!this.#options.push) this.#unsubscribe = onEventSignal((runId, seq) => this.#signal(runId, seq));
      await this.#options.push?.start(
        (runId, seq) => this.#signal(runId, seq),
        () => this.#catchUp(),
      );
    })();
    return this.#started;
  }

  /** Parses a `NOTIFY` payload and routes it. */
  static payloadHandler(hub: (runId: string, seq: number) => void): (payload: string | undefined) => void {
    return (payload) => {
      const parsed = parseEventPayload(payload);
      if (parsed) hub(parsed.runId, parsed.sequenceIndex);
    };
  }

  #signal(runId: string, sequenceIndex: number): void {
    this.#runs.get(runId)?.notify(sequenceIndex);
    if (this.#threads.size > 0) void this.#newRun(runId);
  }

  /**
   * If the run belongs to a watched thread that does not list it yet, that
   * thread re-reads its runs. The run's thread is looked up once per run.
   */
  async #newRun(runId: string): Promise<void> {
    let threadId = this.#threadOf.get(runId);
    if (threadId === undefined) {
      try {
        threadId = await this.#options.source.threadOf(runId);
      } catch (error) {
        logger.warn(`Looking up the thread of run ${runId} failed`, error);
        return;
      }
      this.#threadOf.set(runId, threadId);
      if (this.#threadOf.size > THREAD_CACHE_MAX) this.#threadOf.delete(this.#threadOf.keys().next().value!);
    }
    if (threadId === null) return;
    for (const channel of this.#threads.values()) {
      if (channel.threadId === threadId && !channel.runs.includes(runId)) this.#refreshThread(channel);
    }
  }

  /** After a (re)connection of the push source: read whatever was written meanwhile. */
  #catchUp(): void {
    for (const channel of this.#runs.values()) channel.refresh();
    for (const channel of this.#threads.values()) this.#refreshThread(channel);
  }

  #pollMs(): number | null {
    return this.#options.push ? null : this.#options.pollIntervalMs;
  }

  #acquireRun(runId: string): RunChannel {
    let channel = this.#runs.get(runId);
    if (!channel) {
      channel = new RunChannel(runId, this.#options.source, { pollIntervalMs: this.#pollMs(), retryMs: this.#options.pollIntervalMs });
      this.#runs.set(runId, channel);
    }
    channel.refs += 1;
    return channel;
  }

  #releaseRun(channel: RunChannel): void {
    channel.refs -= 1;
    if (channel.refs === 0 && this.#runs.get(channel.runId) === channel) {
      this.#runs.delete(channel.runId);
      channel.close();
    }
  }

  #acquireThread(threadId: string, scopeKey: string): ThreadChannel {
    const key = `${threadId}\u0000${scopeKey}`;
    let channel = this.#threads.get(key);
    if (!channel) {
      const created: ThreadChannel = { key, threadId, scopeKey, runs: [], refs: 0, ready: Promise.resolve(), changed: new Waiters(), refreshing: false, again: false, poller: null };
      created.ready = this.#options.source.threadRuns(threadId, scopeKey).then((runs) => {
        created.runs = runs;
      });
      const pollMs = this.#pollMs();
      if (pollMs !== null) {
        // Not unref'd: a reader waiting on the thread keeps the process alive.
        created.poller = setInterval(() => this.#refreshThread(created), pollMs);
      }
      this.#threads.set(key, created);
      channel = created;
    }
    channel.refs += 1;
    return channel;
  }

  #releaseThread(channel: ThreadChannel): void {
    channel.refs -= 1;
    if (channel.refs === 0 && this.#threads.get(channel.key) === channel) {
      this.#threads.delete(channel.key);
      if (channel.poller) clearInterval(channel.poller);
      channel.changed.wake();
    }
  }

  #refreshThread(channel: ThreadChannel): void {
    if (channel.refreshing) {
      channel.again = true;
      return;
    }
    channel.refreshing = true;
    void (async () => {
      try {
        do {
          channel.again = false;
          await channel.ready;
          const runs = await this.#options.source.threadRuns(channel.threadId, channel.scopeKey);
          if (runs.length !== channel.runs.length || runs.some((r, i) => r !== channel.runs[i])) {
            channel.runs = runs;
            channel.changed.wake();
          }
        } while (channel.again);
      } catch (error) {
        logger.warn(`Reading the runs of thread ${channel.threadId} failed`, error);
      } finally {
        channel.refreshing = false;
      }
    })();
  }

  /**
   * Follows one run from `after`: the backlog, then every event as it is
   * written. Ends when `signal` aborts.
   */
  async *follow(runId: string, after: number, signal?: AbortSignal): AsyncGenerator<StoredEvent, void, undefined> {
    if (this.#closed || signal?.aborted) return;
    await this.#start();
    const channel = this.#acquireRun(runId);
    try {
      await channel.ready;
      let cursor = after;
      while (!signal?.aborted && !this.#closed) {
        const batch = await channel.after(cursor, READ_BATCH);
        if (batch.length === 0 && cursor < channel.head) cursor = channel.head;
        for (const event of batch) {
          if (signal?.aborted) return;
          yield event;
          cursor = event.sequenceIndex;
        }
        if (cursor < channel.head) continue;
        await waitFor([channel.changed], signal);
      }
    } finally {
      this.#releaseRun(channel);
    }
  }

  /**
   * Follows every run of a thread, oldest first within each run; new runs join
   * as they start. `cursor` (from a previous `ThreadEvent`) resumes after it.
   */
  async *followThread(threadId: string, scopeKey: string, cursor: ThreadCursor, signal?: AbortSignal): AsyncGenerator<ThreadEvent, void, undefined> {
    if (this.#closed || signal?.aborted) return;
    await this.#start();
    const thread = this.#acquireThread(threadId, scopeKey);
    const followed = new Map<string, RunChannel>();
    try {
      await thread.ready;
      while (!signal?.aborted && !this.#closed) {
        let progressed = false;
        const seen = thread.changed.version;
        cursor.order(thread.runs);
        for (const runId of thread.runs) {
          if (cursor.isDone(runId)) continue;
          let channel = followed.get(runId);
          if (!channel) {
            channel = this.#acquireRun(runId);
            followed.set(runId, channel);
            await channel.ready;
          }
          let position = cursor.position(runId);
          const batch = await channel.after(position, READ_BATCH);
          if (batch.length === 0 && position < channel.head) cursor.advance(runId, channel.head, false);
          for (const event of batch) {
            if (signal?.aborted) return;
            position = event.sequenceIndex;
            cursor.advance(runId, position, TERMINAL_EVENT_TYPES.has(event.eventType));
            yield { runId, event, cursor: cursor.toString() };
            progressed = true;
          }
          if (cursor.isDone(runId)) {
            followed.delete(runId);
            this.#releaseRun(channel);
          } else if (position < channel.head) {
            progressed = true;
          }
        }
        // A run checked early in this pass may have moved while a later one was read.
        if (progressed || thread.changed.version !== seen || [...followed].some(([id, c]) => cursor.position(id) < c.head)) continue;
        await waitFor([thread.changed, ...[...followed.values()].map((c) => c.changed)], signal);
      }
    } finally {
      for (const channel of followed.values()) this.#releaseRun(channel);
      this.#releaseThread(thread);
    }
  }

  /** How many runs and threads are watched (for tests and metrics). */
  get watching(): { runs: number; threads: number } {
    return { runs: this.#runs.size, threads: this.#threads.size };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe?.();
    for (const channel of this.#runs.values()) channel.close();
    for (const channel of this.#threads.values()) {
      if (channel.poller) clearInterval(channel.poller);
      channel.changed.wake();
    }
    this.#runs.clear();
    this.#threads.clear();
    await this.#options.push?.close();
  }
}

function waitFor(sources: readonly Waiters[], signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const removers: (() => void)[] = [];
    const done = () => {
      for (const remove of removers) remove();
      signal?.removeEventListener("abort", done);
      resolve();
    };
    for (const source of sources) removers.push(source.add(done));
    signal?.addEventListener("abort", done, { once: true });
  });
}
