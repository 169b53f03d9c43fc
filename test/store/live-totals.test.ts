import { afterAll, beforeAll, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { add, readRange, refund } from "../support/tools.js";

const USAGE = { inputTokens: 1000, outputTokens: 70, costUsd: 0.0039, cacheReadInputTokens: 200, reasoningTokens: 12 };

describeEachBackend("run totals are current at every status", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  beforeAll(async () => {
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
  });
  afterAll(async () => {
    await store.close();
    await database.cleanup();
  });

  const totals = async (runId: string) => {
    const r = (await store.getRun(runId))!;
    return {
      status: r.status,
      iterations: r.iterationCount,
      input: r.totalInputTokens,
      output: r.totalOutputTokens,
      cost: r.totalCostUsd,
      cacheRead: r.totalCacheReadTokens,
      reasoning: r.totalReasoningTokens,
    };
  };
  const spent = { input: 1000, output: 70, cost: 0.0039, cacheRead: 200, reasoning: 12 };

  it("a paused run shows what it spent before the pause, then the whole run once finished", async () => {
    const agent = new Agent({
      provider: new MockLLM([{ toolCalls: [{ name: "refund", params: { id: "1" } }], usage: USAGE }, { text: "Refunded.", usage: USAGE }]),
      prompt: "p",
      tools: [refund],
      requireApproval: ["refund"],
      databaseUrl: database.url,
    });
    const paused = await agent.run("refund 1");
    expect(await totals(paused.runId)).toEqual({ status: "waiting_approval", iterations: 1, ...spent });
    await agent.submitApproval(paused.runId, { approved: true });
    expect(await totals(paused.runId)).toEqual({ status: "success", iterations: 2, input: 2000, output: 140, cost: 0.0078, cacheRead: 400, reasoning: 24 });
    await agent.close();
  });

  it("a cancelled pause keeps its totals", async () => {
    const agent = new Agent({ provider: new MockLLM([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }], usage: USAGE }]), prompt: "p", tools: [readRange], databaseUrl: database.url });
    const paused = await agent.run("read");
    await agent.cancelRun(paused.runId);
    expect(await totals(paused.runId)).toEqual({ status: "cancelled", iterations: 1, ...spent });
    await agent.close();
  });

  it("a run that fails after one LLM call and one tool call shows that call and iteration", async () => {
    const agent = new Agent({
      provider: new MockLLM([{ toolCalls: [{ name: "add", params: { a: 1, b: 2 } }], usage: USAGE }, new Error("provider down")]),
      prompt: "p",
      tools: [add],
      databaseUrl: database.url,
    });
    const error = await agent.run("1+2").catch((e: unknown) => e);
    expect((error as Error).message).toBe("provider down");
    const [failed] = await store.listRuns({ status: "error", limit: 1 });
    expect(await totals(failed!.runId)).toEqual({ status: "error", iterations: 1, ...spent });
    await agent.close();
  });
});
