/**
 * Runtime overhead per iteration: a 5-iteration tool loop against MockLLM, so
 * what is measured is dendrux itself (no network, no model).
 *
 *   npm run bench
 */
import { z } from "zod";
import { Agent, tool } from "../src/index.js";
import { MockLLM, type MockStep } from "../src/llm/mock/index.js";
import { median, timeRuns } from "./stats.js";

const ITERATIONS = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 300);

const add = tool({ name: "add", description: "Add.", parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b });

function script(): MockStep[] {
  const steps: MockStep[] = [];
  for (let i = 1; i < ITERATIONS; i++) steps.push({ toolCalls: [{ name: "add", params: { a: i, b: i } }] });
  steps.push("done");
  return steps;
}

async function once(): Promise<void> {
  const agent = new Agent({ provider: new MockLLM(script()), prompt: "p", tools: [add], maxIterations: ITERATIONS });
  const result = await agent.run("go");
  if (result.iterationCount !== ITERATIONS) throw new Error(`expected ${ITERATIONS} iterations, got ${result.iterationCount}`);
}

export async function benchInMemory(): Promise<number> {
  await timeRuns(30, once); // warm-up
  const samples = await timeRuns(RUNS, once);
  return median(samples) / ITERATIONS;
}

const perIteration = await benchInMemory();
console.log(`in-memory overhead: median ${perIteration.toFixed(4)} ms per iteration (${RUNS} runs of a ${ITERATIONS}-iteration tool loop)`);
