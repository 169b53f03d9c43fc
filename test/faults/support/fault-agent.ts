/**
 * The agent every fault test drives: its model asks for `steps` rounds of
 * `width` parallel `effect` calls, then answers; each `effect` call appends
 * `runId callId` to a side-effect file (the tool's observable effect outside
 * the database) before it returns.
 */
import { appendFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { Agent, tool } from "../../../src/index.js";
import type { LLMRequest } from "../../../src/index.js";
import { MockLLM } from "../../../src/llm/mock/index.js";

/** What one run does: rounds of parallel tool calls, and how long each model or tool step takes. */
export interface RunPlan {
  readonly steps: number;
  readonly width: number;
  readonly llmDelayMs: number;
  readonly toolDelayMs: number;
}

export const planInput = (plan: RunPlan): string => JSON.stringify(plan);

function planOf(request: LLMRequest): RunPlan {
  const first = request.messages.find((m) => m.role === "user");
  return JSON.parse(first!.content) as RunPlan;
}

async function model(request: LLMRequest) {
  const plan = planOf(request);
  if (plan.llmDelayMs > 0) await sleep(plan.llmDelayMs);
  const rounds = request.messages.filter((m) => m.role === "assistant").length;
  if (rounds >= plan.steps) return `done after ${rounds} rounds`;
  return { toolCalls: Array.from({ length: plan.width }, (_, i) => ({ name: "effect", params: { round: rounds, slot: i, delayMs: plan.toolDelayMs } })) };
}

/** An agent whose `effect` tool writes to `effectsFile`; `maxRuns` bounds how many model calls it can serve. */
export function faultAgent(options: { databaseUrl: string; effectsFile: string; maxCalls?: number; name?: string }): Agent {
  const effect = tool({
    name: "effect",
    description: "Does something observable outside the database.",
    parameters: z.object({ round: z.number(), slot: z.number(), delayMs: z.number() }),
    execute: async ({ round, slot, delayMs }, ctx) => {
      if (delayMs > 0) await sleep(delayMs);
      appendFileSync(options.effectsFile, `${ctx.runId} ${ctx.callId}\n`);
      return { round, slot };
    },
  });
  return new Agent({
    name: options.name ?? "Faulty",
    provider: new MockLLM(Array.from({ length: options.maxCalls ?? 10_000 }, () => model)),
    prompt: "p",
    tools: [effect],
    maxIterations: 50,
    databaseUrl: options.databaseUrl,
  });
}
