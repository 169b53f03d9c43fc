import type { DendruxError } from "../errors/dendrux-error.js";
import type { LoopOutcome, RunState } from "../loops/loop.js";
import type { Notifier } from "../types/notifier.js";

/**
 * Where a run's lifecycle is written. The in-memory journal writes nothing;
 * the SQL journal (in `store/`) keeps the run row, events and evidence. The
 * runner talks only to this interface, so persistence never reshapes it.
 */
export interface RunJournal {
  /** `true` when the run lives in a database (resume, cancel and submit work). */
  readonly persisted: boolean;
  /** Identity of the database, for delegation links; `null` in memory. */
  readonly storeIdentity: string | null;
  /** Fail-closed evidence writer (traces, tool calls, events), or `null`. */
  readonly recorder: Notifier | null;
  /**
   * Set when someone else finalized the run while it executed (a sweep,
   * another process): the run stops and ends with this error.
   */
  readonly lostLease: DendruxError | null;
  /** The run no longer executes here: stop renewing its lease. Idempotent. */
  release(): void;
  /** Whether a cancel was requested, as of the last step committed (the check rides on the step's write). */
  isCancelRequested(): Promise<boolean>;
  /**
   * Commits the evidence recorded so far. Evidence is committed at step
   * boundaries (before a tool runs, with a pause or the end); a stream calls
   * this before handing its consumer an event.
   */
  flush(): Promise<void>;
  /** Persists a pause; a cancel requested meanwhile wins and finalizes the run instead. */
  pause(state: RunState, outcome: LoopOutcome): Promise<"paused" | "cancelled">;
  /**
   * Terminal success / max_iterations / error result. A cancel requested
   * before it wins (`"cancelled"`); when another writer finalized the run
   * first, `lostLease` tells.
   */
  finish(state: RunState, outcome: LoopOutcome): Promise<"finished" | "cancelled">;
  /** The loop observed a cancel request. */
  cancel(state: RunState, outcome: LoopOutcome): Promise<boolean>;
  /** The stream consumer stopped before a terminal event. */
  abandon(): Promise<boolean>;
  /** The run ended by an exception. */
  fail(error: unknown): Promise<void>;
  /**
   * Stores the PII mapping as soon as it grows: stored text holds placeholders,
   * so the mapping must be durable before that text is.
   */
  saveMapping(mapping: Readonly<Record<string, string>>): Promise<void>;
}

const YES: Promise<boolean> = Promise.resolve(true);
const NO: Promise<boolean> = Promise.resolve(false);

/** A settled answer without a new promise each time (asked once per iteration). */
export function answer(value: boolean): Promise<boolean> {
  return value ? YES : NO;
}

/** Runs without a database: nothing is written, cancel comes only from the abort signal. */
export class MemoryJournal implements RunJournal {
  readonly persisted = false;
  readonly storeIdentity = null;
  readonly recorder = null;
  readonly lostLease = null;
  readonly #signal: AbortSignal;

  constructor(signal: AbortSignal) {
    this.#signal = signal;
  }

  isCancelRequested(): Promise<boolean> {
    return answer(this.#signal.aborted);
  }

  async flush(): Promise<void> {}

  async pause(): Promise<"paused" | "cancelled"> {
    return this.#signal.aborted ? "cancelled" : "paused";
  }

  async finish(): Promise<"finished" | "cancelled"> {
    return "finished";
  }

  async cancel(): Promise<boolean> {
    return true;
  }

  async abandon(): Promise<boolean> {
    return true;
  }

  async fail(): Promise<void> {}

  async saveMapping(): Promise<void> {}

  release(): void {}
}
