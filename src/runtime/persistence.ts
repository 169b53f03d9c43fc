import type { RunState } from "../loops/loop.js";
import type { RunStatus } from "../types/run-status.js";
import type { UsageStats } from "../types/usage.js";
import type { RunJournal } from "./run-journal.js";
import type { JournalOpening } from "./runner.js";
import type { RuntimeAgent } from "./runtime-agent.js";

/** Everything needed to create a run row. */
export interface CreateRunInput {
  readonly runId: string;
  readonly agent: RuntimeAgent;
  readonly userInput: string;
  readonly systemPrompt: string;
  readonly metadata: Record<string, unknown> | null;
  readonly tenantId: string | null;
  readonly parentRunId: string | null;
  readonly delegationLevel: number;
  readonly maxDelegationDepth: number | null;
  readonly outputTypeName: string | null;
  readonly idempotencyKey: string | null;
  readonly idempotencyFingerprint: string | null;
  readonly state: RunState;
  readonly controller: AbortController;
  /** Set for `agent.retry()`: the run this one retries. */
  readonly retryOfRunId?: string | null;
  /**
   * How long the run row may wait for the first step's commit; `0` records the
   * run before `createRun` returns (its id is about to be handed out, or its
   * idempotency key must be claimed before any work).
   */
  readonly recordWithinMs: number;
}

/** A stored conversation message, as `agent.retry()` rebuilds history from it. */
export interface StoredTrace {
  readonly role: string;
  readonly content: string;
  readonly meta: Record<string, unknown> | null;
}

/** A run row as the runtime needs it for submit, resume and cancel. */
export interface StoredRun {
  readonly runId: string;
  readonly agentName: string;
  readonly status: RunStatus;
  readonly pauseData: unknown;
  readonly cancelRequested: boolean;
  readonly iterationCount: number;
  readonly answer: string | null;
  readonly error: string | null;
  readonly failureReason: string | null;
  readonly usage: UsageStats;
  readonly delegationLevel: number;
  /** From `meta["dendrux.max_delegation_depth"]`; `null` = unbounded. */
  readonly maxDelegationDepth: number | null;
  readonly piiMapping: Record<string, string>;
}

export interface OpenResumeInput {
  readonly runId: string;
  readonly agent: RuntimeAgent;
  /** The status the run was claimed from. */
  readonly resumedFrom: RunStatus;
  /** Extra `run.resumed` data (`submitted_results` or `user_input`). */
  readonly resumedData: Record<string, unknown>;
  readonly controller: AbortController;
}

export interface ResumeOpening {
  readonly journal: RunJournal;
  /** Budget thresholds the run already emitted (they fire once per run). */
  readonly budgetFired: string[];
}

/**
 * The database seen from the runtime. Implemented by `store/`, the only layer
 * that writes SQL; the runtime never learns which engine is underneath.
 */
export interface Persistence {
  /** Engine + location without secrets: runs link to parents only within one identity. */
  readonly identity: string;
  createRun(input: CreateRunInput): Promise<JournalOpening>;
  getRun(runId: string): Promise<StoredRun | null>;
  /** The run's `meta` JSON (user metadata plus `dendrux.*` keys). */
  getRunMeta(runId: string): Promise<Record<string, unknown> | null>;
  getTraces(runId: string): Promise<StoredTrace[]>;
  /**
   * Atomically moves a paused run to `running` if it is still in `expected` and
   * no cancel is pending; `merge` is added to its pause data (submitted input).
   */
  claim(runId: string, expected: RunStatus, merge?: Record<string, unknown>, piiMapping?: Record<string, string>): Promise<boolean>;
  /** After a won claim: continues the run's event and trace numbering and writes `run.resumed`. */
  openResume(input: OpenResumeInput): Promise<ResumeOpening>;
  /** Sets the cooperative cancel flag on a non-terminal run. */
  requestCancel(runId: string): Promise<void>;
  /** Finalizes a paused run as `cancelled` in one compare-and-set; `true` when this call won. */
  cancelPaused(runId: string): Promise<boolean>;
  close(): Promise<void>;
}
