import { InvalidToolResultError } from "../errors/invalid-tool-result-error.js";
import { PauseStatusMismatchError } from "../errors/pause-status-mismatch-error.js";
import { RunAlreadyClaimedError } from "../errors/run-already-claimed-error.js";
import { RunAlreadyTerminalError } from "../errors/run-already-terminal-error.js";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import { RunNotPausedError } from "../errors/run-not-paused-error.js";
import { ValidationError } from "../errors/validation-error.js";
import { PendingToolMismatchError } from "../errors/pending-tool-mismatch-error.js";
import { appendMessage } from "../loops/append-message.js";
import { rejectionResult } from "../loops/execute-tool.js";
import type { ApprovalDecisions, PendingBatch, RunState } from "../loops/loop.js";
import { recordAnsweredCalls } from "../loops/tool-batch.js";
import type { Notifier } from "../types/notifier.js";
import type { RunResult } from "../types/run-result.js";
import { isTerminalStatus, isWaitingStatus, type RunStatus } from "../types/run-status.js";
import type { ToolCall, ToolResult } from "../types/tool-call.js";
import { emptyUsage } from "../types/usage.js";
import { pythonJsonDumps, pythonList } from "../util/python-json.js";
import type { DelegationFrame } from "./delegation.js";
import { GuardEngine } from "./guard-engine.js";
import { type PauseState, parsePauseData, toolResultToData } from "./pause-state.js";
import type { Persistence, StoredRun } from "./persistence.js";
import type { RunPlan, RunReplay } from "./runner.js";
import type { RuntimeAgent } from "./runtime-agent.js";

/** One human decision on one pending call. */
export interface CallDecision {
  readonly callId: string;
  readonly approved: boolean;
  /** Sent to the model as a rejected call's result. */
  readonly reason?: string | null;
}

/** What a resume brings to a paused run. */
export type ResumeInput =
  | { readonly kind: "tool_results"; readonly results: readonly ToolResult[] }
  | { readonly kind: "user_input"; readonly text: string }
  | { readonly kind: "approve" }
  | { readonly kind: "reject"; readonly reason: string | null }
  | { readonly kind: "decisions"; readonly decisions: readonly CallDecision[] };

const EXPECTED_STATUS: Record<ResumeInput["kind"], RunStatus> = {
  tool_results: "waiting_client_tool",
  user_input: "waiting_human_input",
  approve: "waiting_approval",
  reject: "waiting_approval",
  decisions: "waiting_approval",
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
  // A pause for client results may also hold a human's question; results answer the client calls.
  const pending = pause.pendingToolCalls.filter((c) => pause.pendingTargets[c.id] !== "human").map((c) => c.id);
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

/** Checks per-call decisions: well-formed, and deciding every pending call exactly once. */
export function validateDecisions(runId: string, decisions: readonly CallDecision[], pause: PauseState): void {
  const pending = pause.pendingToolCalls.map((c) => c.id);
  const given = decisions.map((d) => d.callId);
  const duplicate = [...new Set(given.filter((id, i) => given.indexOf(id) !== i))].sort();
  const missing = pending.filter((id) => !given.includes(id)).sort();
  const unknown = [...new Set(given.filter((id) => !pending.includes(id)))].sort();
  const parts: string[] = [];
  if (duplicate.length > 0) parts.push(`duplicate call_ids=${pythonList(duplicate)}`);
  if (missing.length > 0) parts.push(`missing decisions for call_ids=${pythonList(missing)}`);
  if (unknown.length > 0) parts.push(`unknown call_ids=${pythonList(unknown)}`);
  if (parts.length > 0) throw new ValidationError({ field: "decisions", message: `Invalid approval decisions for run '${runId}': ${parts.join("; ")}` });
}

/** Every pending call's tool must exist on the resuming agent, with the target the run paused with. */
function checkPendingTools(runId: string, agent: RuntimeAgent, pause: PauseState): void {
  for (const call of pause.pendingToolCalls) {
    const expectedTarget = pause.pendingTargets[call.id] ?? "server";
    const actual = agent.tools.get(call.name)?.target ?? null;
    if (actual !== expectedTarget) {
      throw new PendingToolMismatchError({ runId, agentName: agent.name, toolName: call.name, expectedTarget, actualTarget: actual });
    }
  }
}

/** What the resume does with the pause: calls someone answered, and the rest of the batch. */
export interface ResumePlanData {
  /** Results given from outside (client results, rejections, a human's answer), recorded before the run goes on. */
  readonly answers: readonly { readonly call: ToolCall; readonly result: ToolResult }[];
  /** A human's reply to a clarification question, added to the conversation. */
  readonly userMessage: string | null;
  /** The rest of the interrupted batch, which the loop finishes first. */
  readonly batch: PendingBatch | null;
  /** Extra `run.resumed` data (`submitted_results` or `user_input`). */
  readonly resumedData: Record<string, unknown>;
  /** Merged into `pause_data` at the claim (`submitted_*`). */
  readonly submission: Record<string, unknown> | null;
}

function answersFor(pause: PauseState, results: readonly ToolResult[]): { call: ToolCall; result: ToolResult }[] {
  const byId = new Map<string, ToolCall>(pause.pendingToolCalls.map((c) => [c.id, c]));
  return results.map((result) => ({ call: byId.get(result.callId) ?? { id: result.callId, name: result.name, params: {}, providerToolCallId: null }, result }));
}

function submittedResults(answers: readonly { readonly result: ToolResult }[]): Record<string, unknown> {
  return { submitted_results: answers.map(({ result: r }) => ({ call_id: r.callId, name: r.name, success: r.success !== false })) };
}

/**
 * Turns a submission into data for the loop: nothing here runs a tool. Calls
 * someone answered are recorded as results; the rest of the batch, with the
 * approvals it carries, is handed to the loop's tool path.
 */
function planResume(pause: PauseState, input: ResumeInput, resumedFrom: RunStatus): ResumePlanData {
  const iteration = pause.iteration;
  const carried = pause.approvedCallIds ?? [];
  const rest = (answered: ReadonlySet<string>, approved: readonly string[], decisions: ApprovalDecisions | null): PendingBatch | null => {
    const calls = pause.pendingToolCalls.filter((c) => !answered.has(c.id));
    if (calls.length === 0 && !decisions) return null;
    return { iteration, calls, approved: approved.filter((id) => calls.some((c) => c.id === id)), decisions };
  };
  switch (input.kind) {
    case "tool_results": {
      const answers = answersFor(pause, input.results);
      const answered = new Set(input.results.map((r) => r.callId));
      // Results given for an approval pause reject it (the reference's fallback).
      const rejecting = resumedFrom === "waiting_approval";
      return {
        answers,
        userMessage: null,
        batch: rejecting ? { iteration, calls: [], approved: [], decisions: { mode: "batch", decision: "rejected" } } : rest(answered, carried, null),
        resumedData: submittedResults(answers),
        submission: { submitted_tool_results: input.results.map(toolResultToData) },
      };
    }
    case "user_input": {
      const asked = pause.pendingToolCalls.find((c) => pause.pendingTargets[c.id] === "human");
      const submission = { submitted_user_input: input.text };
      if (!asked) return { answers: [], userMessage: input.text, batch: null, resumedData: { user_input: input.text }, submission };
      const result: ToolResult = { name: asked.name, callId: asked.id, payload: pythonJsonDumps(input.text), success: true, error: null, durationMs: 0 };
      return { answers: [{ call: asked, result }], userMessage: null, batch: rest(new Set([asked.id]), carried, null), resumedData: { user_input: input.text }, submission };
    }
    case "approve":
      return {
        answers: [],
        userMessage: null,
        batch: rest(new Set(), pause.pendingToolCalls.map((c) => c.id), { mode: "batch", decision: "approved" }),
        resumedData: {},
        submission: null,
      };
    case "reject": {
      const results = pause.pendingToolCalls.map((c) => rejectionResult(c, input.reason));
      const answers = answersFor(pause, results);
      return {
        answers,
        userMessage: null,
        batch: { iteration, calls: [], approved: [], decisions: { mode: "batch", decision: "rejected" } },
        resumedData: submittedResults(answers),
        submission: { submitted_tool_results: results.map(toolResultToData) },
      };
    }
    case "decisions": {
      const byId = new Map(input.decisions.map((d) => [d.callId, d]));
      const isApproved = (c: ToolCall) => byId.get(c.id)!.approved;
      const rejected = pause.pendingToolCalls.filter((c) => !isApproved(c));
      const results = rejected.map((c) => rejectionResult(c, byId.get(c.id)!.reason ?? null));
      const answers = answersFor(pause, results);
      const decisions: ApprovalDecisions = {
        mode: "per_call",
        calls: pause.pendingToolCalls.map((c) => ({ callId: c.id, decision: isApproved(c) ? "approved" : "rejected" })),
      };
      const approved = pause.pendingToolCalls.filter(isApproved).map((c) => c.id);
      return {
        answers,
        userMessage: null,
        batch: rest(new Set(rejected.map((c) => c.id)), approved, decisions),
        resumedData: answers.length > 0 ? submittedResults(answers) : {},
        submission: {
          ...(results.length > 0 ? { submitted_tool_results: results.map(toolResultToData) } : {}),
          submitted_decisions: input.decisions.map((d) => ({ call_id: d.callId, approved: d.approved, ...(d.reason ? { reason: d.reason } : {}) })),
        },
      };
    }
  }
}

export interface ClaimedResume {
  readonly run: StoredRun;
  readonly pause: PauseState;
  readonly resumedFrom: RunStatus;
  /** What the loop gets: answered calls and the rest of the batch. */
  readonly plan: ResumePlanData;
  /** The run's PII mapping as of the claim (grown by the redacted submission). */
  readonly piiMapping: Record<string, string>;
}

/**
 * Validates everything, then claims the run in one compare-and-set. Nothing
 * is written unless every check passed; a lost claim writes nothing either.
 * `agent` must have its tool sources' tools: the pending calls are checked
 * against them.
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
  // Tool results, rejections and decisions read the pause first (the reference's precedence).
  let pause: PauseState | null = null;
  if (input.kind === "tool_results" || input.kind === "reject" || input.kind === "decisions") pause = requirePause(runId, run);
  if (input.kind === "tool_results") {
    // On an approval pause the results stand for every pending call.
    const answering = expected === "waiting_approval" ? { ...pause!, pendingTargets: {} } : pause!;
    effective = { kind: "tool_results", results: validateToolResults(runId, input.results, answering) };
  }
  if (input.kind === "decisions") validateDecisions(runId, input.decisions, pause!);
  const preflight = preflightError(runId, run, expected);
  if (preflight) throw preflight;
  pause ??= requirePause(runId, run);
  if (agent.name && pause.agentName && pause.agentName !== agent.name) {
    throw new ValidationError({
      field: "agent",
      message: `Agent name mismatch: run '${runId}' was paused by '${pause.agentName}', but resume called with '${agent.name}'.`,
    });
  }
  checkPendingTools(runId, agent, pause);
  const stored = await redactForStorage(agent, run!, planResume(pause, effective, expected));
  const won = await persistence.claim(runId, expected, stored.plan.submission ?? undefined, stored.piiMapping);
  if (!won) throw statusError(runId, await persistence.getRun(runId), expected);
  return { run: run!, pause, resumedFrom: expected, plan: stored.plan, piiMapping: stored.piiMapping ?? run!.piiMapping };
}

/**
 * With guardrails, what the claim stores (`submitted_*`) and what `run.resumed`
 * records hold redacted text like every other stored copy; the run's mapping
 * grows in the same statement, so the placeholders always resolve. The model
 * and the tools still get the real values.
 */
async function redactForStorage(
  agent: RuntimeAgent,
  run: StoredRun,
  plan: ResumePlanData,
): Promise<{ plan: ResumePlanData; piiMapping?: Record<string, string> }> {
  if (agent.guardrails.length === 0 || !plan.submission) return { plan };
  const guard = new GuardEngine(agent.guardrails, { ...run.piiMapping });
  const submission: Record<string, unknown> = { ...plan.submission };
  let resumedData = plan.resumedData;
  if (Array.isArray(submission.submitted_tool_results)) {
    // One at a time, so placeholders are numbered in submission order.
    const results: unknown[] = [];
    for (const r of submission.submitted_tool_results as Record<string, unknown>[]) {
      results.push({ ...r, payload: await guard.redactText(String(r.payload)), ...(typeof r.error === "string" ? { error: await guard.redactText(r.error) } : {}) });
    }
    submission.submitted_tool_results = results;
  }
  if (typeof submission.submitted_user_input === "string") {
    submission.submitted_user_input = await guard.redactText(submission.submitted_user_input);
    resumedData = { ...resumedData, user_input: submission.submitted_user_input };
  }
  return { plan: { ...plan, submission, resumedData }, piiMapping: guard.mapping };
}

export interface ResumePlanInput {
  readonly persistence: Persistence;
  /** The resuming agent, with its tool sources' tools. */
  readonly agent: RuntimeAgent;
  readonly runId: string;
  readonly claim: () => Promise<ClaimedResume>;
  readonly notifier: Notifier | null;
  readonly streaming: boolean;
  readonly controller: AbortController;
}

/**
 * A run plan that continues a claimed pause; the claim itself happens when the
 * plan opens. The run state is rebuilt from the pause, the answered calls are
 * recorded before `run_resumed`, and the loop re-enters with the rest of the
 * batch — the same loop and tool path as a fresh run.
 */
export function resumePlan(input: ResumePlanInput): { plan: RunPlan; frame: (run: StoredRun) => DelegationFrame } {
  const { persistence, agent, runId, controller } = input;
  const state: RunState = { history: [], steps: [], iteration: 0, usage: emptyUsage(), budgetFired: [], piiMapping: {}, pendingBatch: null };
  let replay: RunReplay | undefined;
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
    openJournal: async () => {
      const claimed = await input.claim();
      // The engine continues the run's mapping, so placeholders stay stable across the pause.
      Object.assign(state.piiMapping, claimed.piiMapping);
      guard = agent.guardrails.length > 0 ? new GuardEngine(agent.guardrails, state.piiMapping) : null;
      const opening = await persistence.openResume({ runId, agent, resumedFrom: claimed.resumedFrom, resumedData: claimed.plan.resumedData, controller });
      state.history.push(...claimed.pause.history);
      state.steps.push(...claimed.pause.steps);
      state.iteration = claimed.pause.iteration;
      state.usage = { ...claimed.pause.usage };
      state.budgetFired.push(...opening.budgetFired);
      state.pendingBatch = claimed.plan.batch;
      const { answers, userMessage } = claimed.plan;
      const iteration = claimed.pause.iteration;
      replay = async (ctx) => {
        await recordAnsweredCalls(ctx, answers, iteration);
        if (userMessage !== null) await appendMessage(ctx, { role: "user", content: userMessage }, iteration);
      };
      return { journal: opening.journal };
    },
    get replay() {
      return replay;
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
