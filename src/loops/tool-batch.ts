import type { RunStatus } from "../types/run-status.js";
import type { ToolCall, ToolResult } from "../types/tool-call.js";
import { appendMessage } from "./append-message.js";
import { deniedResult, executeTool, limitResult } from "./execute-tool.js";
import type { LoopContext } from "./loop.js";

export interface BatchOutcome {
  /** Results in history order: denied, limit-exceeded, then executed in call order. */
  readonly results: readonly { readonly call: ToolCall; readonly result: ToolResult }[];
  readonly pauseStatus: Extract<RunStatus, "waiting_approval" | "waiting_client_tool"> | null;
  readonly pending: { readonly calls: readonly ToolCall[]; readonly targets: Readonly<Record<string, string>> } | null;
}

/** Counts tool messages by name: the per-run call counts a resumed run starts from. */
export function countToolMessages(ctx: LoopContext): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of ctx.state.history) {
    if (m.role === "tool" && m.name) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  }
  return counts;
}

function targetOf(ctx: LoopContext, call: ToolCall): string {
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

export async function runServerCall(ctx: LoopContext, call: ToolCall, iteration: number): Promise<ToolResult> {
  await ctx.hooks.toolStarted(ctx.runId, call, iteration);
  // The tool gets real values; the call as recorded keeps the model's placeholders.
  const executed = ctx.guard ? { ...call, params: ctx.guard.deanonymize(call.params) } : call;
  const result = await executeTool(ctx.agent.tools.get(call.name), executed, ctx.runId, ctx.signal);
  await ctx.hooks.toolCompleted(ctx.runId, call, result, iteration);
  return result;
}

/**
 * Deny → approval gate → per-run limits → execute server calls (in parallel
 * groups) → observe. Pending client or gated calls get no tool message until
 * the run resumes.
 */
export async function processToolBatch(
  ctx: LoopContext,
  calls: readonly ToolCall[],
  iteration: number,
  callCounts: Map<string, number>,
): Promise<BatchOutcome> {
  const { agent, strategy, runId } = ctx;
  const results: { call: ToolCall; result: ToolResult }[] = [];
  const observe = async (call: ToolCall, result: ToolResult) => {
    results.push({ call, result });
    await appendMessage(ctx, strategy.formatToolResult(result), iteration);
  };

  const remaining: ToolCall[] = [];
  for (const call of calls) {
    if (!agent.deny.has(call.name)) {
      remaining.push(call);
      continue;
    }
    const data = { tool_name: call.name, call_id: call.id, reason: "denied_by_policy" };
    await ctx.hooks.governance(runId, "policy.denied", iteration, data, call.id);
    await observe(call, deniedResult(call));
  }

  if (remaining.some((c) => agent.requireApproval.has(c.name))) {
    for (const call of remaining) {
      if (!agent.requireApproval.has(call.name)) continue;
      const data = { tool_name: call.name, call_id: call.id, reason: "requires_approval" };
      await ctx.hooks.governance(runId, "approval.requested", iteration, data, call.id);
    }
    const targets = Object.fromEntries(remaining.map((c) => [c.id, targetOf(ctx, c)]));
    return { results, pauseStatus: "waiting_approval", pending: { calls: remaining, targets } };
  }

  const allowed: ToolCall[] = [];
  const allowedInBatch = new Map<string, number>();
  for (const call of remaining) {
    const max = agent.tools.get(call.name)?.maxCallsPerRun ?? null;
    const current = (callCounts.get(call.name) ?? 0) + (allowedInBatch.get(call.name) ?? 0);
    if (max !== null && current >= max) {
      const result = limitResult(call, max);
      await ctx.hooks.toolCompleted(runId, call, result, iteration);
      await observe(call, result);
      continue;
    }
    allowedInBatch.set(call.name, (allowedInBatch.get(call.name) ?? 0) + 1);
    allowed.push(call);
  }

  const serverCalls = allowed.filter((c) => targetOf(ctx, c) === "server");
  const clientCalls = allowed.filter((c) => targetOf(ctx, c) !== "server");

  const executed = new Map<string, ToolResult>();
  for (const group of executionGroups(ctx, serverCalls)) {
    if (group.length === 1) {
      executed.set(group[0]!.id, await runServerCall(ctx, group[0]!, iteration));
    } else {
      const groupResults = await Promise.all(group.map((call) => runServerCall(ctx, call, iteration)));
      group.forEach((call, i) => executed.set(call.id, groupResults[i]!));
    }
  }
  for (const call of serverCalls) {
    callCounts.set(call.name, (callCounts.get(call.name) ?? 0) + 1);
    const result = executed.get(call.id)!;
    await observe(call, result);
    if (call.name === "use_skill" && result.success !== false && agent.tools.get(call.name)?.meta["dendrux.internal"]) {
      await ctx.hooks.governance(runId, "skill.invoked", iteration, { skill_name: typeof call.params.name === "string" ? call.params.name : "" });
    }
  }

  if (clientCalls.length > 0) {
    const targets = Object.fromEntries(clientCalls.map((c) => [c.id, targetOf(ctx, c)]));
    return { results, pauseStatus: "waiting_client_tool", pending: { calls: clientCalls, targets } };
  }
  return { results, pauseStatus: null, pending: null };
}
