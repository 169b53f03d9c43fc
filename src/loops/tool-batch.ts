import { questionOf } from "../tool/ask-human.js";
import type { RunEvent } from "../types/run-event.js";
import type { RunStatus } from "../types/run-status.js";
import type { ToolCall, ToolResult, ToolTarget } from "../types/tool-call.js";
import { appendMessage } from "./append-message.js";
import { deniedResult, executeTool, limitResult } from "./execute-tool.js";
import type { ApprovalDecisions, LoopContext, LoopOutcome, PendingCalls } from "./loop.js";

type PauseStatus = Extract<RunStatus, "waiting_approval" | "waiting_client_tool" | "waiting_human_input">;

export interface BatchOutcome {
  /** Results in history order: denied, limit-exceeded, then executed in call order. */
  readonly results: readonly { readonly call: ToolCall; readonly result: ToolResult }[];
  /** Where the batch stopped for someone outside the process; `null` when every call has a result. */
  readonly pause: { readonly status: PauseStatus; readonly pending: PendingCalls } | null;
}

/** One batch of tool calls, as the model asked for them or as a pause left them. */
export interface BatchInput {
  readonly calls: readonly ToolCall[];
  readonly iteration: number;
  /** Calls a human approved: the approval gate lets them through. */
  readonly approved?: ReadonlySet<string>;
}

/** Tool messages in the history, by tool name: what `maxCallsPerRun` counts on every path. */
export function countToolMessages(ctx: LoopContext): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of ctx.state.history) {
    if (m.role === "tool" && m.name) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  }
  return counts;
}

function targetOf(ctx: LoopContext, call: ToolCall): ToolTarget {
  return ctx.agent.tools.get(call.name)?.target ?? "server";
}

/** Consecutive parallel calls share a group; a `parallel: false` call is a group of its own. */
function executionGroups(ctx: LoopContext, calls: readonly ToolCall[]): ToolCall[][] {
  const groups: ToolCall[][] = [];
  let current: ToolCall[] = [];
  for (const call of calls) {
    if (ctx.agent.tools.get(call.name)?.parallel === false) {
      if (current.length > 0) groups.push(current);
      groups.push([call]);
      current = [];
    } else {
      current.push(call);
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

async function runServerCall(ctx: LoopContext, call: ToolCall, iteration: number): Promise<ToolResult> {
  await ctx.hooks.toolStarted(ctx.runId, call, iteration);
  // The tool gets real values; the call as recorded keeps the model's placeholders.
  const executed = ctx.guard ? { ...call, params: ctx.guard.deanonymize(call.params) } : call;
  const result = await executeTool(ctx.agent.tools.get(call.name), executed, ctx.runId, ctx.signal);
  await ctx.hooks.toolCompleted(ctx.runId, call, result, iteration);
  return result;
}

function pendingOf(ctx: LoopContext, calls: readonly ToolCall[], approved: ReadonlySet<string>): PendingCalls {
  const kept = calls.filter((c) => approved.has(c.id)).map((c) => c.id);
  return {
    calls,
    targets: Object.fromEntries(calls.map((c) => [c.id, targetOf(ctx, c)])),
    ...(kept.length > 0 ? { approved: kept } : {}),
  };
}

/**
 * Deny → approval gate → per-run limits → execute server calls (in parallel
 * groups) → observe. Client and human calls are left pending, with no tool
 * message until someone answers them. Fresh and resumed batches both come
 * through here.
 */
export async function processToolBatch(ctx: LoopContext, input: BatchInput): Promise<BatchOutcome> {
  const { agent, strategy, runId } = ctx;
  const { iteration } = input;
  const approved = input.approved ?? new Set<string>();
  const results: { call: ToolCall; result: ToolResult }[] = [];
  const observe = async (call: ToolCall, result: ToolResult) => {
    results.push({ call, result });
    await appendMessage(ctx, strategy.formatToolResult(result), iteration);
  };

  const remaining: ToolCall[] = [];
  for (const call of input.calls) {
    if (!agent.deny.has(call.name)) {
      remaining.push(call);
      continue;
    }
    const data = { tool_name: call.name, call_id: call.id, reason: "denied_by_policy" };
    await ctx.hooks.governance(runId, "policy.denied", iteration, data, call.id);
    await observe(call, deniedResult(call));
  }

  // One call waiting for a human's approval holds the whole batch.
  const gated = remaining.filter((c) => agent.requireApproval.has(c.name) && !approved.has(c.id));
  if (gated.length > 0) {
    for (const call of gated) {
      const data = { tool_name: call.name, call_id: call.id, reason: "requires_approval" };
      await ctx.hooks.governance(runId, "approval.requested", iteration, data, call.id);
    }
    return { results, pause: { status: "waiting_approval", pending: pendingOf(ctx, remaining, approved) } };
  }

  // Every result the model has seen for a tool counts, as it does after a resume.
  const counts = countToolMessages(ctx);
  const allowed: ToolCall[] = [];
  for (const call of remaining) {
    const max = agent.tools.get(call.name)?.maxCallsPerRun ?? null;
    const current = counts.get(call.name) ?? 0;
    if (max !== null && current >= max) {
      const result = limitResult(call, max);
      await ctx.hooks.toolCompleted(runId, call, result, iteration);
      await observe(call, result);
      continue;
    }
    counts.set(call.name, current + 1);
    allowed.push(call);
  }

  const serverCalls = allowed.filter((c) => targetOf(ctx, c) === "server");
  const executed = new Map<string, ToolResult>();
  for (const group of executionGroups(ctx, serverCalls)) {
    const groupResults = await Promise.all(group.map((call) => runServerCall(ctx, call, iteration)));
    group.forEach((call, i) => executed.set(call.id, groupResults[i]!));
  }
  for (const call of serverCalls) {
    const result = executed.get(call.id)!;
    await observe(call, result);
    if (call.name === "use_skill" && result.success !== false && agent.tools.get(call.name)?.meta["dendrux.internal"]) {
      await ctx.hooks.governance(runId, "skill.invoked", iteration, { skill_name: typeof call.params.name === "string" ? call.params.name : "" });
    }
  }

  // Client results come before a human's answer: the client pause is taken first.
  const unanswered = allowed.filter((c) => targetOf(ctx, c) !== "server");
  if (unanswered.length === 0) return { results, pause: null };
  const status: PauseStatus = unanswered.some((c) => targetOf(ctx, c) === "client") ? "waiting_client_tool" : "waiting_human_input";
  return { results, pause: { status, pending: pendingOf(ctx, unanswered, approved) } };
}

async function recordDecisions(ctx: LoopContext, decisions: ApprovalDecisions, iteration: number): Promise<void> {
  if (decisions.mode === "batch") {
    await ctx.hooks.governance(ctx.runId, "approval.decided", iteration, { decision: decisions.decision, run_id: ctx.runId });
    return;
  }
  for (const { callId, decision } of decisions.calls) {
    await ctx.hooks.governance(ctx.runId, "approval.decided", iteration, { decision, run_id: ctx.runId, call_id: callId }, callId);
  }
}

/**
 * Runs a batch through `processToolBatch`, yields a `tool_result` event per
 * result, records the approval that let it through (after its calls ran), and
 * returns the pause outcome when the batch stops for someone — or `null`.
 */
export async function* runToolBatch(
  ctx: LoopContext,
  input: BatchInput & { readonly decisions?: ApprovalDecisions | null },
): AsyncGenerator<RunEvent, LoopOutcome | null, undefined> {
  const batch = await processToolBatch(ctx, input);
  for (const { call, result } of batch.results) yield { type: "tool_result", runId: ctx.runId, toolCall: call, toolResult: result };
  if (input.decisions) await recordDecisions(ctx, input.decisions, input.iteration);
  if (!batch.pause) return null;
  const { status, pending } = batch.pause;
  const asking = status === "waiting_human_input" ? pending.calls.find((c) => pending.targets[c.id] === "human") : undefined;
  return { status, answer: asking ? questionOf(asking.params) : null, iterationCount: input.iteration, pending };
}

/**
 * Enters a loop: a run resumed mid-batch first finishes that batch. Returns
 * the outcome when the run stops again (cancelled, or paused anew), else `null`.
 */
export async function* finishPendingBatch(ctx: LoopContext): AsyncGenerator<RunEvent, LoopOutcome | null, undefined> {
  const pending = ctx.state.pendingBatch;
  if (!pending) return null;
  ctx.state.pendingBatch = null;
  if (await ctx.isCancelRequested()) return { status: "cancelled", answer: null, iterationCount: pending.iteration };
  return yield* runToolBatch(ctx, {
    calls: pending.calls,
    iteration: pending.iteration,
    approved: new Set(pending.approved),
    decisions: pending.decisions,
  });
}

/**
 * Records results someone outside the process gave (a client tool's result, a
 * rejection, a human's answer) as the model will read them: a tool message and
 * the call's `tool.completed`, at the iteration that asked.
 */
export async function recordAnsweredCalls(
  ctx: LoopContext,
  answers: readonly { readonly call: ToolCall; readonly result: ToolResult }[],
  iteration: number,
): Promise<void> {
  for (const { call, result } of answers) {
    await appendMessage(ctx, ctx.strategy.formatToolResult(result), iteration);
    await ctx.hooks.toolStarted(ctx.runId, call, iteration);
    await ctx.hooks.toolCompleted(ctx.runId, call, result, iteration);
  }
}
