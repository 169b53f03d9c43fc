import type { ZodType } from "zod";
import { DendruxError } from "../errors/dendrux-error.js";
import { RunFailedError } from "../errors/run-failed-error.js";
import { RunStartFailedError } from "../errors/run-start-failed-error.js";
import type { ProviderCallOptions } from "../llm/provider.js";
import type { LoopContext, LoopOutcome, RunState } from "../loops/loop.js";
import { parseStructured } from "../loops/single-call.js";
import type { Message } from "../types/message.js";
import type { Notifier } from "../types/notifier.js";
import type { RunEvent } from "../types/run-event.js";
import type { RunResult } from "../types/run-result.js";
import { isWaitingStatus } from "../types/run-status.js";
import { logger } from "../util/logger.js";
import type { GuardEngine } from "./guard-engine.js";
import { redactCall, redactMessage, RunHooks } from "./run-hooks.js";
import type { RunJournal } from "./run-journal.js";
import { cacheKeyPrefix, type RuntimeAgent } from "./runtime-agent.js";
import { bareRunResult, toRunResult } from "./to-run-result.js";

/** What opening a run produced: a journal to write to, or (idempotency hit) the earlier result. */
export type JournalOpening = { readonly journal: RunJournal } | { readonly cachedResult: RunResult };

/** What a resumed run records of the caller's submission before `run_resumed` is yielded. */
export type RunReplay = (ctx: LoopContext) => Promise<void>;

export interface RunPlan {
  readonly runId: string;
  readonly agent: RuntimeAgent;
  readonly state: RunState;
  /** Recorded and notified at iteration 0 of a fresh run (the raw input, not folded context). */
  readonly initialMessage: Message | null;
  readonly firstEvent: "run_started" | "run_resumed";
  readonly providerOptions: ProviderCallOptions;
  readonly outputType: ZodType | null;
  readonly notifier: Notifier | null;
  readonly streaming: boolean;
  /** Aborts the run (cancel, early stream stop, caller's signal). */
  readonly controller: AbortController;
  /** The caller's own signal: aborting it rejects `run()` after the run is finalized `cancelled`. */
  readonly callerSignal: AbortSignal | undefined;
  readonly openJournal: () => Promise<JournalOpening>;
  readonly replay?: RunReplay;
  /** Governance events a fresh run records right after `run.started` (skills registered / denied). */
  readonly initEvents?: readonly { readonly type: string; readonly data: Record<string, unknown> }[];
  /** The run's guardrail engine (known once the journal is open); `null` without guardrails. */
  readonly guard?: GuardEngine | null;
  /**
   * The agent with its tool sources' tools (MCP…), discovered once the run
   * exists. A fresh run records `mcp.connected` per source, or `mcp.error`.
   */
  readonly resolveTools?: () => Promise<{
    readonly agent: RuntimeAgent;
    readonly sources: readonly { readonly name: string; readonly toolNames: readonly string[] }[];
  }>;
}

/** Marks a generator's failure so the stream wrapper can deliver it as `run_error`; `cause` is what the caller gets. */
export class RunFailure extends Error {
  readonly runId: string;
  override readonly cause: DendruxError;
  constructor(runId: string, cause: DendruxError) {
    super(cause.message, { cause });
    this.runId = runId;
    this.cause = cause;
  }
}

/** The error a failed run rejects with: a dendrux error carrying the run id, or the cause wrapped in `RunFailedError`. */
function runError(runId: string, error: unknown): DendruxError {
  if (DendruxError.isInstance(error)) return DendruxError.attachRun(error, runId);
  return new RunFailedError({ runId, cause: error });
}

/**
 * The state and outcome as stored: with guardrails, everything the model wrote
 * (conversation, tool arguments, steps, the answer) is redacted before it is
 * written; the mapping grows in the same write (it is the state's own).
 */
async function forStorage(state: RunState, outcome: LoopOutcome, guard: GuardEngine | null): Promise<{ state: RunState; outcome: LoopOutcome }> {
  if (!guard) return { state, outcome };
  const history: Message[] = [];
  for (const m of state.history) history.push(await redactMessage(guard, m));
  const steps = await guard.redactDeep(state.steps);
  const pending = outcome.pending ? { ...outcome.pending, calls: await Promise.all(outcome.pending.calls.map((c) => redactCall(guard, c))) } : undefined;
  return {
    state: { ...state, history, steps },
    outcome: {
      ...outcome,
      answer: outcome.answer === null ? null : await guard.redactText(outcome.answer),
      ...(outcome.error ? { error: await guard.redactText(outcome.error) } : {}),
      ...(pending ? { pending } : {}),
    },
  };
}

async function persistOutcome(journal: RunJournal, state: RunState, outcome: LoopOutcome, guard: GuardEngine | null, runId: string): Promise<LoopOutcome> {
  const stored = await forStorage(state, outcome, guard);
  if (isWaitingStatus(outcome.status)) {
    const written = await journal.pause(stored.state, stored.outcome);
    if (written === "cancelled") return { status: "cancelled", answer: null, iterationCount: outcome.iterationCount };
    return outcome;
  }
  if (outcome.status === "cancelled") {
    await journal.cancel(stored.state, stored.outcome);
    return outcome;
  }
  if (guard && stored.outcome.answer && Object.keys(guard.mapping).length > 0) {
    // Placeholders the model invented: recorded for audit (not a notifier event, as in the reference).
    const placeholders = guard.unmapped(stored.outcome.answer);
    if (placeholders.length > 0) await journal.recorder?.onGovernanceEvent?.(runId, "guardrail.unmapped_placeholder", 0, { placeholders }, { correlationId: null });
  }
  const finished = await journal.finish(stored.state, stored.outcome);
  if (finished === "cancelled") return { status: "cancelled", answer: null, iterationCount: outcome.iterationCount };
  return outcome;
}

/** What the caller gets back: real values where the run used placeholders. */
function forCaller(result: RunResult, guard: GuardEngine | null): RunResult {
  if (!guard || Object.keys(guard.mapping).length === 0) return result;
  return {
    ...result,
    answer: result.answer === null ? null : guard.deanonymize(result.answer),
    ...(result.reasoning !== undefined ? { reasoning: guard.deanonymize(result.reasoning) } : {}),
    ...(result.pendingToolCalls ? { pendingToolCalls: result.pendingToolCalls.map((c) => ({ ...c, params: guard.deanonymize(c.params) })) } : {}),
  };
}

/** Discovers tool sources; a fresh run records what each offered, or why discovery failed. */
async function resolveTools(plan: RunPlan, hooks: RunHooks): Promise<RuntimeAgent> {
  const fresh = plan.firstEvent === "run_started";
  try {
    const resolved = await plan.resolveTools!();
    if (fresh) {
      for (const source of resolved.sources) {
        await hooks.governance(plan.runId, "mcp.connected", 0, { source_name: source.name, tool_count: source.toolNames.length, tool_names: source.toolNames });
      }
    }
    return resolved.agent;
  } catch (error) {
    if (fresh) await hooks.governance(plan.runId, "mcp.error", 0, { error: [...(error instanceof Error ? error.message : String(error))].slice(0, 500).join("") });
    throw error;
  }
}

/** An idempotent hit re-validates its stored answer against the requested output type. */
function withCachedOutput(result: RunResult, outputType: ZodType | null): RunResult {
  if (!outputType || result.answer === null) return result;
  try {
    return { ...result, output: parseStructured(outputType, result.answer) };
  } catch (error) {
    logger.warn(`Cached answer of run ${result.runId} no longer matches the output type`, error);
    return result;
  }
}

function terminalEvent(runId: string, result: RunResult): RunEvent {
  if (isWaitingStatus(result.status)) return { type: "run_paused", runId, result };
  if (result.status === "cancelled") return { type: "run_cancelled", runId, result };
  return { type: "run_completed", runId, result };
}

const CANCELLED: Promise<boolean> = Promise.resolve(true);

/**
 * Hands the loop's events on to a stream's consumer, each only after the
 * evidence recorded before it is committed: what a caller sees is never ahead
 * of the audit trail.
 */
async function* committedFirst<T>(events: AsyncGenerator<RunEvent, T, undefined>, journal: RunJournal): AsyncGenerator<RunEvent, T, undefined> {
  let finished = false;
  try {
    for (;;) {
      const next = await events.next();
      if (next.done) {
        finished = true;
        return next.value;
      }
      await journal.flush();
      yield next.value;
    }
  } finally {
    // The consumer stopped early: close the loop so its own cleanup runs.
    if (!finished) await events.return(undefined as never);
  }
}

/**
 * Drives one run segment (a fresh run or a resume): opens the journal, runs
 * the loop, persists the outcome, fires run-level hooks. Yields stream events
 * and returns the result. Stopping the generator early cancels the run.
 */
export async function* driveRun(plan: RunPlan): AsyncGenerator<RunEvent, RunResult, undefined> {
  const { runId, state, controller } = plan;
  let agent = plan.agent;
  let opening: JournalOpening;
  try {
    opening = await plan.openJournal();
  } catch (error) {
    // Our own errors say what went wrong; a driver's means the run could not be recorded at all.
    throw error instanceof DendruxError ? error : new RunStartFailedError({ runId, cause: error });
  }
  if ("cachedResult" in opening) {
    const cached = withCachedOutput(opening.cachedResult, plan.outputType);
    yield terminalEvent(runId, cached);
    return cached;
  }
  const { journal } = opening;
  const guard = plan.guard ?? null;
  const hooks = new RunHooks(journal.recorder, plan.notifier, guard, guard ? () => journal.saveMapping(guard.mapping) : null);
  let settled = false;

  const contextFor = (agent: RuntimeAgent): LoopContext => ({
    runId,
    agent,
    provider: agent.provider,
    strategy: agent.strategy,
    state,
    hooks,
    providerOptions: plan.providerOptions,
    cacheKeyPrefix: cacheKeyPrefix(agent),
    outputType: plan.outputType,
    streaming: plan.streaming,
    signal: controller.signal,
    isCancelRequested: () => (controller.signal.aborted ? CANCELLED : journal.isCancelRequested()),
    guard,
  });

  try {
    await hooks.runStarted(runId, { agentName: agent.name, agentModel: agent.model });
    const fresh = plan.firstEvent === "run_started";
    if (fresh) {
      yield { type: "run_started", runId };
      for (const e of plan.initEvents ?? []) await hooks.governance(runId, e.type, 0, e.data);
    }
    if (plan.resolveTools) agent = await resolveTools(plan, hooks);
    const ctx = contextFor(agent);
    if (plan.initialMessage) await hooks.messageAppended(runId, plan.initialMessage, 0);
    if (plan.replay) await plan.replay(ctx);
    if (!fresh) yield { type: "run_resumed", runId };

    let outcome = yield* plan.streaming ? committedFirst(agent.loop.run(ctx), journal) : agent.loop.run(ctx);
    if (state.pendingBatch) {
      throw new RunFailedError({ runId, cause: new Error(`Loop '${agent.loop.name}' returned without finishing the tool batch the run was paused in.`) });
    }
    outcome = await persistOutcome(journal, state, outcome, guard, runId);
    if (journal.lostLease) throw journal.lostLease;
    const result = forCaller(toRunResult(runId, outcome, state, hooks.warnings, hooks.lastReasoning), guard);
    settled = true;
    await hooks.runFinished(runId, result);
    if (outcome.status === "cancelled" && plan.callerSignal?.aborted) throw plan.callerSignal.reason;
    yield terminalEvent(runId, result);
    return result;
  } catch (error) {
    if (settled) throw error;
    settled = true;
    journal.release();
    // Someone else finalized the run (a sweep, another process): nothing more is written.
    const lost = journal.lostLease;
    if (lost) {
      await hooks.runFailed(runId, lost);
      throw new RunFailure(runId, runError(runId, lost));
    }
    if (controller.signal.aborted) {
      // The run was cancelled while a provider or tool call was in flight.
      const outcome: LoopOutcome = { status: "cancelled", answer: null, iterationCount: state.iteration };
      await journal.cancel(state, outcome);
      const result = toRunResult(runId, outcome, state, hooks.warnings);
      await hooks.runFinished(runId, result);
      if (plan.callerSignal?.aborted) throw plan.callerSignal.reason;
      yield terminalEvent(runId, result);
      return result;
    }
    try {
      // The stored error text is redacted like everything else (a provider may echo personal data back).
      const text = error instanceof Error ? error.message : String(error);
      await journal.fail(guard ? await guard.redactText(text) : text);
    } catch (persistError) {
      logger.warn(`Failed to persist error status for run ${runId}`, persistError);
    }
    await hooks.runFailed(runId, error);
    throw new RunFailure(runId, runError(runId, error));
  } finally {
    journal.release();
    if (!settled) {
      // The consumer stopped before a terminal event: cancel the run, once.
      controller.abort(new Error("Run stream closed before the run finished."));
      try {
        await journal.abandon();
        await hooks.runFinished(runId, bareRunResult(runId, "cancelled", null, hooks.warnings));
      } catch (cleanupError) {
        logger.warn(`Cleanup after early stream stop failed for run ${runId}`, cleanupError);
      }
    }
  }
}
