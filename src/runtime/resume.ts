import { InvalidToolResultError } from "../errors/invalid-tool-result-error.js";
import { PauseStatusMismatchError } from "../errors/pause-status-mismatch-error.js";
import { RunAlreadyClaimedError } from "../errors/run-already-claimed-error.js";
import { RunAlreadyTerminalError } from "../errors/run-already-terminal-error.js";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import { RunNotPausedError } from "../errors/run-not-paused-error.js";
import { ValidationError } from "../errors/validation-error.js";
import { rejectionResult } from "../loops/execute-tool.js";
import type { LoopContext, RunState } from "../loops/loop.js";
import { runServerCall } from "../loops/tool-batch.js";
import type { Notifier } from "../types/notifier.js";
import type { RunResult } from "../types/run-result.js";
import { isTerminalStatus, isWaitingStatus, type RunStatus } from "../types/run-status.js";
import type { ToolCall, ToolResult } from "../types/tool-call.js";
import { pythonList } from "../util/python-json.js";
import type { DelegationFrame } from "./delegation.js";
import { GuardEngine } from "./guard-engine.js";
import { type PauseState, parsePauseData, toolResultToData } from "./pause-state.js";
import type { Persistence, StoredRun } from "./persistence.js";
import type { RunPlan, RunPrelude, RunReplay } from "./runner.js";
import type { RuntimeAgent } from "./runtime-agent.js";

/** What a resume injects into a paused run. */
export type ResumeInput =
  | { readonly kind: "tool_results"; readonly results: readonly ToolResult[] }
  | { readonly kind: "user_input"; readonly text: string }
  | { readonly kind: "approve" }
  | { readonly kind: "reject"; readonly reason: string | null };

const EXPECTED_STATUS: Record<ResumeInput["kind"], RunStatus> = {
  tool_results: "waiting_client_tool",
  user_input: "waiting_human_input",
  approve: "waiting_approval",
  reject: "waiting_approval",
};

/** The typed error for a run that cannot be claimed for `expected`. */
export function statusError(runId: string, run: StoredRun | null, expected: RunStatus): Error {
  if (!run) return new RunNotFoundError({ runId });
  if (isTerminalStatus(run.status)) return new RunAlreadyTerminalError({ runId, currentStatus: run.status, failureReason: run.failureReason });
  if (run.cancelRequested) return new RunAlreadyTerminalError({ runId, currentStatus: "cancelled" });
  if (run.status === "running") return new RunAlreadyClaimedError({ runId });
  if (isWaitingStatus(run.status)) return new PauseStatusMismatchError({ runId, currentStatus: run.status, expectedStatus: expected });
  return new RunNotPausedError({ runId, currentStatus: run.status });
}

function preflightError(runId: string, run: StoredRun | null, expected: RunStatus): Error | null {
  if (!run) return new RunNotFoundError({ runId });
  if (run.status !== expected) {
    if (isTerminalStatus(run.status)) return new RunAlreadyTerminalError({ runId, currentStatus: run.status, failureReason: run.failureReason });
    if (isWaitingStatus(run.status)) return new PauseStatusMismatchError({ runId, currentStatus: run.status, expectedStatus: expected });
    return new RunNotPausedError({ runId, currentStatus: run.status });
  }
  if (run.cancelRequested) return new RunAlreadyTerminalError({ runId, currentStatus: "cancelled" });
  return null;
}

function requirePause(runId: string, run: StoredRun | null): PauseState {
  if (!run || run.pauseData === null || run.pauseData === undefined) {
    if (!run) throw new RunNotFoundError({ runId });
    if (isTerminalStatus(run.status)) throw new RunAlreadyTerminalError({ runId, currentStatus: run.status, failureReason: run.failureReason });
    throw new RunNotPausedError({ runId, currentStatus: run.status });
  }
  return parsePauseData(runId, run.pauseData);
}

/** Checks submitted results: well-formed, and answering exactly the pending calls. */
export function validateToolResults(runId: string, results: unknown, pause: PauseState): ToolResult[] {
  if (!Array.isArray(results)) throw new InvalidToolResultError({ runId, detail: "results must be an array of ToolResult" });
  results.forEach((r, i) => {
    const bad = (field: string, rule: string) => new InvalidToolResultError({ runId, detail: `results[${i}].${field} ${rule}` });
    if (!r || typeof r !== "object") throw new InvalidToolResultError({ runId, detail: `results[${i}] must be an object` });
    if (typeof r.callId !== "string") throw bad("callId", "must be a string");
    if (typeof r.name !== "string") throw bad("name", "must be a string");
    if (typeof r.payload !== "string") throw bad("payload", "must be a string (JSON text)");
    if (r.success !== undefined && typeof r.success !== "boolean") throw bad("success", "must be a boolean");
    if (r.error !== undefined && r.error !== null && typeof r.error !== "string") throw bad("error", "must be a string or null");
    if (r.durationMs !== undefined && !(typeof r.durationMs === "number" && r.durationMs >= 0)) throw bad("durationMs", "must be a non-negative number");
  });
  const pending = pause.pendingToolCalls.map((c) => c.id);
  const given = (results as ToolResult[]).map((r) => r.callId);
  const duplicate = [...new Set(given.filter((id, i) => given.indexOf(id) !== i))].sort();
  const missing = pending.filter((id) => !given.includes(id)).sort();
  const unexpected = [...new Set(given.filter((id) => !pending.includes(id)))].sort();
  const parts: string[] = [];
  if (duplicate.length > 0) parts.push(`duplicate call_ids=${pythonList(duplicate)}`);
  if (missing.length > 0) parts.push(`missing call_ids=${pythonList(missing)}`);
  if (unexpected.length > 0) parts.push(`unexpected call_ids=${pythonList(unexpected)}`);
  if (parts.length > 0) throw new InvalidToolResultError({ runId, detail: parts.join("; ") });
  return (results as ToolResult[]).map((r) => ({
    name: r.name,
    callId: r.callId,
    payload: r.payload,
    success: r.success ?? true,
    error: r.error ?? null,
    durationMs: r.durationMs ?? 0,
  }));
}

export interface ClaimedResume {
  readonly run: StoredRun;
  readonly pause: PauseState;
  readonly input: ResumeInput;
  readonly resumedFrom: RunStatus;
  /** The run's PII mapping as of the claim (grown by the redacted submission). */
  readonly piiMapping: Record<string, string>;
  /** A human's answer as stored (redacted when the agent has guardrails), for `run.resumed`. */
  readonly storedUserInput: string | null;
}

/**
 * Validates everything, then claims the run in one compare-and-set. Nothing
 * is written unless every check passed; a lost claim writes nothing either.
 */
export async function claimForResume(
  persistence: Persistence,
  agent: RuntimeAgent,
  runId: string,
  input: ResumeInput,
  options: { readonly allowApprovalFallback?: boolean } = {},
): Promise<ClaimedResume> {
  const run = await persistence.getRun(runId);
  let expected = EXPECTED_STATUS[input.kind];
  let effective = input;
  if (input.kind === "tool_results" && options.allowApprovalFallback && run?.status === "waiting_approval") {
    expected = "waiting_approval";
  }
  // Only tool results and rejections read the pause first (the reference's precedence).
  let pause: PauseState | null = null;
  if (input.kind === "tool_results" || input.kind === "reject") pause = requirePause(runId, run);
  if (input.kind === "tool_results") effective = { kind: "tool_results", results: validateToolResults(runId, input.results, pause!) };
  const preflight = preflightError(runId, run, expected);
  if (preflight) throw preflight;
  pause ??= requirePause(runId, run);
  if (agent.name && pause.agentName && pause.agentName !== agent.name) {
    throw new ValidationError({
      field: "agent",
      message: `Agent name mismatch: run '${runId}' was paused by '${pause.agentName}', but resume called with '${agent.name}'.`,
    });
  }
  if (effective.kind === "reject") {
    const reason = effective.reason;
    effective = { kind: "tool_results", results: pause.pendingToolCalls.map((c) => rejectionResult(c, reason)) };
  }
  const stored = await submissionForStorage(agent, run!, effective);
  const won = await persistence.claim(runId, expected, stored.merge, stored.piiMapping);
  if (!won) throw statusError(runId, await persistence.getRun(runId), expected);
  return {
    run: run!,
    pause,
    input: effective,
    resumedFrom: expected,
    piiMapping: stored.piiMapping ?? run!.piiMapping,
    storedUserInput: typeof stored.merge?.submitted_user_input === "string" ? stored.merge.submitted_user_input : null,
  };
}

/**
 * The `submitted_*` keys merged into `pause_data` at the claim. With guardrails
 * they hold redacted text like every other stored copy; the run's mapping grows
 * in the same statement, so the placeholders always resolve.
 */
async function submissionForStorage(
  agent: RuntimeAgent,
  run: StoredRun,
  input: ResumeInput,
): Promise<{ merge?: Record<string, unknown>; piiMapping?: Record<string, string> }> {
  if (input.kind !== "tool_results" && input.kind !== "user_input") return {};
  const guard = agent.guardrails.length > 0 ? new GuardEngine(agent.guardrails, { ...run.piiMapping }) : null;
  const redact = async (text: string) => (guard ? guard.redactText(text) : text);
  let merge: Record<string, unknown>;
  if (input.kind === "tool_results") {
    // One at a time, so placeholders are numbered in submission order.
    const results: unknown[] = [];
    for (const r of input.results) {
      results.push(toolResultToData({ ...r, payload: await redact(r.payload), ...(r.error ? { error: await redact(r.error) } : {}) }));
    }
    merge = { submitted_tool_results: results };
  } else {
    merge = { submitted_user_input: await redact(input.text) };
  }
  return guard ? { merge, piiMapping: guard.mapping } : { merge };
}

function resumedData(claimed: ClaimedResume): Record<string, unknown> {
  const input = claimed.input;
  if (input.kind === "tool_results") {
    return { submitted_results: input.results.map((r) => ({ call_id: r.callId, name: r.name, success: r.success !== false })) };
  }
  if (input.kind === "user_input") return { user_input: claimed.storedUserInput ?? input.text };
  return {};
}

/**
 * What a resume does before its loop continues, in two parts. `replay` records
 * what the caller submitted (results, input, rejections) before `run_resumed`
 * is seen, so a reader that stops right there loses nothing; `prelude` then runs
 * approved calls, one `tool_result` event each, and records the decision.
 */
function resumeSteps(claimed: ClaimedResume): { replay: RunReplay; prelude: RunPrelude } {
  const { pause, input, resumedFrom } = claimed;
  const iteration = pause.iteration;
  const inject = async (ctx: LoopContext, result: ToolResult) => {
    const message = ctx.strategy.formatToolResult(result);
    ctx.state.history.push(message);
    await ctx.hooks.messageAppended(ctx.runId, message, iteration);
  };
  const replay: RunReplay = async (ctx) => {
    if (input.kind === "tool_results") {
      const callsById = new Map<string, ToolCall>(pause.pendingToolCalls.map((c) => [c.id, c]));
      for (const result of input.results) {
        const call = callsById.get(result.callId) ?? { id: result.callId, name: result.name, params: {}, providerToolCallId: null };
        await inject(ctx, result);
        await ctx.hooks.toolStarted(ctx.runId, call, iteration);
        await ctx.hooks.toolCompleted(ctx.runId, call, result, iteration);
      }
    } else if (input.kind === "user_input") {
      const message = { role: "user" as const, content: input.text };
      ctx.state.history.push(message);
      await ctx.hooks.messageAppended(ctx.runId, message, iteration);
    }
  };
  const prelude: RunPrelude = async function* (ctx) {
    if (input.kind === "approve") {
      for (const call of pause.pendingToolCalls) {
        const result = await runServerCall(ctx, call, iteration);
        await inject(ctx, result);
        yield { type: "tool_result", runId: ctx.runId, toolCall: call, toolResult: result };
      }
    }
    if (resumedFrom === "waiting_approval") {
      const decision = input.kind === "approve" ? "approved" : "rejected";
      await ctx.hooks.governance(ctx.runId, "approval.decided", iteration, { decision, run_id: ctx.runId });
    }
  };
  return { replay, prelude };
}

export interface ResumePlanInput {
  readonly persistence: Persistence;
  readonly agent: RuntimeAgent;
  readonly runId: string;
  readonly claim: () => Promise<ClaimedResume>;
  readonly notifier: Notifier | null;
  readonly streaming: boolean;
  readonly controller: AbortController;
  readonly resolveTools?: RunPlan["resolveTools"];
}

/** A run plan that continues a claimed pause; the claim itself happens when the plan opens. */
export function resumePlan(input: ResumePlanInput): { plan: RunPlan; frame: (run: StoredRun) => DelegationFrame } {
  const { persistence, agent, runId, controller } = input;
  const state: RunState = {
    history: [],
    steps: [],
    iteration: 0,
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: null, cacheReadInputTokens: null, cacheCreationInputTokens: null, reasoningTokens: null },
    budgetFired: [],
    piiMapping: {},
  };
  let steps: { replay: RunReplay; prelude: RunPrelude } | undefined;
  let guard: GuardEngine | null = null;
  const plan: RunPlan = {
    runId,
    agent,
    state,
    initialMessage: null,
    firstEvent: "run_resumed",
    providerOptions: {},
    outputType: null,
    notifier: input.notifier,
    streaming: input.streaming,
    controller,
    callerSignal: undefined,
    ...(input.resolveTools ? { resolveTools: input.resolveTools } : {}),
    openJournal: async () => {
      const claimed = await input.claim();
      // The engine continues the run's mapping, so placeholders stay stable across the pause.
      Object.assign(state.piiMapping, claimed.piiMapping);
      guard = agent.guardrails.length > 0 ? new GuardEngine(agent.guardrails, state.piiMapping) : null;
      const data = resumedData(claimed);
      const opening = await persistence.openResume({
        runId,
        agent,
        resumedFrom: claimed.resumedFrom,
        resumedData: data,
        controller,
      });
      state.history.push(...claimed.pause.history);
      state.steps.push(...claimed.pause.steps);
      state.iteration = claimed.pause.iteration;
      state.usage = { ...claimed.pause.usage };
      state.budgetFired.push(...opening.budgetFired);
      steps = resumeSteps(claimed);
      return { journal: opening.journal };
    },
    get replay() {
      return steps?.replay;
    },
    get prelude() {
      return steps?.prelude;
    },
    get guard() {
      return guard;
    },
  };
  const frame = (run: StoredRun): DelegationFrame => ({
    runId,
    level: run.delegationLevel,
    maxDepth: run.maxDelegationDepth,
    storeIdentity: persistence.identity,
  });
  return { plan, frame };
}

/** A result rebuilt from the run row (cancel, terminal no-ops). */
export function resultFromStoredRun(run: StoredRun): RunResult {
  let pending: readonly ToolCall[] | undefined;
  if (isWaitingStatus(run.status) && run.pauseData) {
    try {
      pending = parsePauseData(run.runId, run.pauseData).pendingToolCalls;
    } catch {
      pending = undefined;
    }
  }
  return {
    runId: run.runId,
    status: run.status,
    answer: run.answer,
    error: run.error,
    iterationCount: run.iterationCount,
    usage: { ...run.usage, reasoningTokens: run.usage.reasoningTokens },
    ...(pending && pending.length > 0 ? { pendingToolCalls: pending } : {}),
    warnings: [],
  };
}
