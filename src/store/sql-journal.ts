import type { DendruxError } from "../errors/dendrux-error.js";
import type { LoopOutcome, RunState } from "../loops/loop.js";
import { toPauseData } from "../runtime/pause-state.js";
import { answer, type RunJournal } from "../runtime/run-journal.js";
import type { RuntimeAgent } from "../runtime/runtime-agent.js";
import { type RunStatus, WAITING_STATUSES } from "../types/run-status.js";
import { logger } from "../util/logger.js";
import type { RunTransition, RunWriter } from "./run-writer.js";
import { totalsColumns } from "./rows.js";
import { SqlRecorder } from "./sql-recorder.js";

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));


/**
 * A persisted run's lifecycle: every status change is a compare-and-set on
 * `agent_runs.status`. While the run executes, the journal holds its lease: a
 * heartbeat refreshes `last_progress_at` (so a sweep never takes a live run),
 * picks up a cancel requested from another process, and notices when someone
 * else finalized the run — then the run is aborted and writes nothing more.
 */
export class SqlJournal implements RunJournal {
  readonly persisted = true;
  readonly storeIdentity: string;
  readonly recorder: SqlRecorder;
  readonly #w: RunWriter;
  readonly #agent: RuntimeAgent;
  readonly #controller: AbortController;
  #heartbeat: NodeJS.Timeout | null = null;
  #beating = false;

  constructor(writer: RunWriter, agent: RuntimeAgent, storeIdentity: string, controller: AbortController) {
    this.#w = writer;
    this.#agent = agent;
    this.storeIdentity = storeIdentity;
    this.recorder = new SqlRecorder(writer, agent);
    this.#controller = controller;
    // A cancel found by any commit (a step's, the heartbeat's) stops the run at once.
    writer.onCancelRequested = () => {
      if (this.#heartbeat) controller.abort(new Error(`Run ${this.#runId} was cancelled.`));
    };
    this.#heartbeat = setInterval(() => void this.#beat(), agent.heartbeatMs);
    this.#heartbeat.unref();
  }

  get #runId(): string {
    return this.#w.runId;
  }

  get lostLease(): DendruxError | null {
    return this.#w.lost;
  }

  async #beat(): Promise<void> {
    if (this.#beating || !this.#heartbeat) return;
    this.#beating = true;
    try {
      await this.#w.renewLease();
    } catch (error) {
      if (!this.#heartbeat) return;
      if (this.#w.lost) {
        this.#controller.abort(this.#w.lost);
        this.release();
      } else {
        logger.warn(`Heartbeat failed for run ${this.#runId}`, error);
      }
    } finally {
      this.#beating = false;
    }
  }

  release(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }

  /** What the last commit (or heartbeat) read: the cancel check rides on the step's write. */
  isCancelRequested(): Promise<boolean> {
    return answer(this.#w.cancelRequested);
  }

  /** Commits the evidence buffered so far. */
  flush(): Promise<void> {
    return this.#w.flush();
  }

  /**
   * CAS from `from` to `to`, and on a win the event announcing it, in one
   * transaction; `true` when this writer won. Either way the run leaves this
   * process: the heartbeat stops. A loss to anyone but a cancel means the run
   * was finalized elsewhere (`lostLease`).
   */
  async #transition(change: RunTransition): Promise<boolean> {
    this.release();
    const won = await this.#w.transition({ ...change, values: { ...change.values, updated_at: this.#w.now() } });
    if (!won) await this.#w.markLost();
    return won;
  }

  #piiValue(state: RunState): Record<string, unknown> {
    const guarded = this.#agent.guardrails.length > 0;
    return guarded || Object.keys(state.piiMapping).length > 0 ? { pii_mapping: this.#w.adapter.json(state.piiMapping) } : {};
  }

  /**
   * The run's own transition, unless a cancel was requested meanwhile: then
   * the cancel wins and the run ends `cancelled` (with the same evidence).
   */
  async #unlessCancelled(state: RunState, outcome: LoopOutcome, change: RunTransition): Promise<boolean> {
    this.release();
    if (await this.#w.transition({ ...change, unlessCancelRequested: true, values: { ...change.values, updated_at: this.#w.now() } })) return true;
    await this.cancel(state, { ...outcome, status: "cancelled" }, ["running"]);
    return false;
  }

  async pause(state: RunState, outcome: LoopOutcome): Promise<"paused" | "cancelled"> {
    const pending = outcome.pending ?? { calls: [], targets: {} };
    const pauseData = toPauseData({
      agentName: this.#agent.name,
      pendingToolCalls: pending.calls,
      pendingTargets: pending.targets,
      history: state.history,
      steps: state.steps,
      iteration: state.iteration,
      traceOrderOffset: state.history.length,
      usage: state.usage,
      ...(pending.approved ? { approvedCallIds: pending.approved } : {}),
    });
    const { adapter } = this.#w;
    // Guarded, unlike the reference: a run swept or cancelled meanwhile is never rewritten to waiting.
    const paused = await this.#unlessCancelled(state, outcome, {
      from: ["running"],
      to: outcome.status,
      values: { pause_data: adapter.json(pauseData), iteration_count: outcome.iterationCount, ...this.#piiValue(state) },
      event: {
        type: "run.paused",
        data: {
          status: outcome.status,
          pending_tool_calls: pending.calls.map((c) => ({ id: c.id, name: c.name, target: pending.targets[c.id] ?? "server", params: c.params })),
        },
      },
    });
    return paused ? "paused" : "cancelled";
  }

  async finish(state: RunState, outcome: LoopOutcome): Promise<"finished" | "cancelled"> {
    const { adapter } = this.#w;
    const finished = await this.#unlessCancelled(state, outcome, {
      from: ["running"],
      to: outcome.status,
      values: {
        iteration_count: outcome.iterationCount,
        ...(outcome.answer !== null ? { output_data: adapter.json({ answer: outcome.answer }) } : {}),
        ...totalsColumns(state.usage),
        ...this.#piiValue(state),
        pause_data: adapter.json(null),
        cancel_requested: adapter.bool(false),
      },
      event: { type: "run.completed", data: { status: outcome.status } },
    });
    return finished ? "finished" : "cancelled";
  }

  async cancel(state: RunState, outcome: LoopOutcome, from: readonly RunStatus[] = ["running", ...WAITING_STATUSES]): Promise<boolean> {
    const { adapter } = this.#w;
    return this.#transition({
      from,
      to: "cancelled",
      values: {
        iteration_count: outcome.iterationCount,
        ...totalsColumns(state.usage),
        ...this.#piiValue(state),
        pause_data: adapter.json(null),
        cancel_requested: adapter.bool(false),
      },
      event: { type: "run.cancelled", data: { reason: "cancel_requested" } },
    });
  }

  async abandon(): Promise<boolean> {
    const { adapter } = this.#w;
    return this.#transition({
      from: ["running"],
      to: "cancelled",
      values: { pause_data: adapter.json(null), cancel_requested: adapter.bool(false) },
      event: { type: "run.cancelled", data: {} },
    });
  }

  async saveMapping(mapping: Readonly<Record<string, string>>): Promise<void> {
    this.#w.saveMapping(mapping);
  }

  async fail(error: unknown): Promise<void> {
    const { adapter } = this.#w;
    const text = errorText(error);
    await this.#transition({
      from: ["running"],
      to: "error",
      values: { error: text, pause_data: adapter.json(null), cancel_requested: adapter.bool(false) },
      event: { type: "run.error", data: { error: [...text].slice(0, 500).join("") } },
    });
  }
}
