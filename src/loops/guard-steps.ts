import type { LLMResponse } from "../types/llm-response.js";
import type { Message } from "../types/message.js";
import type { Finding } from "../types/guardrail.js";
import { addUsage } from "../types/usage.js";
import { checkBudget } from "./budget-check.js";
import type { LoopContext, LoopOutcome } from "./loop.js";

const entities = (findings: readonly Finding[]) => [...new Set(findings.map((f) => f.entityType))];

/**
 * Before an LLM call: scan and redact what the provider will see. Returns the
 * messages to send, or the outcome when a guardrail blocks (no LLM call).
 */
type Incoming = { readonly messages: readonly Message[] } | { readonly outcome: LoopOutcome };

export function guardIncoming(ctx: LoopContext, messages: readonly Message[], iteration: number): Incoming | Promise<Incoming> {
  // No guardrails: nothing to await.
  return ctx.guard ? scanIncoming(ctx, ctx.guard, messages, iteration) : { messages };
}

async function scanIncoming(ctx: LoopContext, guard: NonNullable<LoopContext["guard"]>, messages: readonly Message[], iteration: number): Promise<Incoming> {
  const scan = await guard.incoming(messages);
  if (scan.blocked) {
    await ctx.hooks.governance(ctx.runId, "guardrail.blocked", iteration, { direction: "incoming", error: scan.blocked });
    return { outcome: { status: "error", answer: null, error: scan.blocked, iterationCount: iteration } };
  }
  if (scan.findings.length > 0) {
    const found = entities(scan.findings);
    await ctx.hooks.governance(ctx.runId, "guardrail.detected", iteration, { direction: "incoming", findings_count: scan.findings.length, entities: found });
    if (scan.changed) await ctx.hooks.governance(ctx.runId, "guardrail.redacted", iteration, { direction: "incoming", entities: found });
  }
  return { messages: scan.messages };
}

/**
 * After an LLM call: scan the answer and the tool arguments (detection only).
 * On a block the response is recorded scrubbed, its usage still counts, and
 * the run ends with status `error`.
 */
type CallDetails = { semanticMessages: readonly Message[]; semanticTools: LoopContext["agent"]["toolDefs"] | null; durationMs: number };

export function guardOutgoing(ctx: LoopContext, response: LLMResponse, iteration: number, details: CallDetails, scanCalls: boolean): LoopOutcome | null | Promise<LoopOutcome | null> {
  return ctx.guard ? scanOutgoing(ctx, ctx.guard, response, iteration, details, scanCalls) : null;
}

async function scanOutgoing(
  ctx: LoopContext,
  guard: NonNullable<LoopContext["guard"]>,
  response: LLMResponse,
  iteration: number,
  details: CallDetails,
  scanCalls: boolean,
): Promise<LoopOutcome | null> {
  const calls = scanCalls ? (response.toolCalls ?? []) : [];
  if (!response.text && calls.length === 0) return null;
  const scan = await guard.outgoing(response.text, calls);
  if (scan.findings.length > 0) {
    await ctx.hooks.governance(ctx.runId, "guardrail.detected", iteration, { direction: "outgoing", findings_count: scan.findings.length, entities: entities(scan.findings) });
  }
  if (!scan.blocked) return null;
  const scrubbed: LLMResponse = { ...response, text: "[blocked by guardrail]", toolCalls: null, providerResponse: null };
  await ctx.hooks.llmCallCompleted(ctx.runId, scrubbed, iteration, details);
  ctx.state.usage = addUsage(ctx.state.usage, response.usage);
  ctx.state.iteration = iteration;
  await checkBudget(ctx, iteration);
  await ctx.hooks.governance(ctx.runId, "guardrail.blocked", iteration, { direction: "outgoing", error: scan.blocked });
  return { status: "error", answer: null, error: scan.blocked, iterationCount: iteration };
}

/**
 * `true` when a streamed answer was held back until it passed the outgoing
 * scan (a guardrail may block it): the loop shows it, whole, once it passed.
 */
export function heldBack(ctx: LoopContext): boolean {
  return ctx.streaming && (ctx.guard?.mayBlockOutput ?? false);
}
