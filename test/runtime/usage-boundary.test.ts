import { afterAll, beforeAll, expect, it } from "vitest";
import { Agent, ValidationError } from "../../src/index.js";
import type { LLMProvider } from "../../src/llm/provider.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";

/** A provider that reports usage the way a buggy or hostile one might. */
class LyingProvider {
  readonly model = "liar";
  readonly #usage: Record<string, unknown>;
  constructor(usage: Record<string, unknown>) {
    this.#usage = usage;
  }
  async complete() {
    const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2, costUsd: null, cacheReadInputTokens: null, cacheCreationInputTokens: null, reasoningTokens: null, ...this.#usage };
    return { text: "hi", toolCalls: null, usage: usage as never };
  }
}
const lying = (usage: Record<string, unknown>) => new LyingProvider(usage) as unknown as LLMProvider;

describeEachBackend("usage is checked at the provider boundary", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await backend.create();
  });
  afterAll(async () => database.cleanup());

  it("a string token count fails the call with a ValidationError naming the field; nothing of it is summed or stored", async () => {
    const agent = new Agent({ name: "Liar", provider: lying({ inputTokens: "<img src=x onerror=alert(1)>" }), prompt: "p", databaseUrl: database.url });
    const error = await agent.run("x").catch((e: unknown) => e);
    await agent.close();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("usage.inputTokens");
    expect((error as Error).message).toBe('Provider LyingProvider returned usage.inputTokens = "<img src=x onerror=alert(1)>" (string); expected a non-negative integer.');
    await using store = RunStore.fromDatabaseUrl(database.url);
    const [run] = await store.listRuns({ agentName: "Liar" });
    expect(run).toMatchObject({ status: "error", totalInputTokens: 0, totalOutputTokens: 0, totalCostUsd: null });
    expect(await store.getLlmCalls(run!.runId)).toEqual([]);
  });

  it("a negative or non-finite cost is refused too; null counts are allowed where optional", async () => {
    const refused = new Agent({ provider: lying({ costUsd: Number.NaN }), prompt: "p", databaseUrl: database.url });
    const error = await refused.run("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: "usage.costUsd", message: "Provider LyingProvider returned usage.costUsd = NaN (number); expected a non-negative number or null." });
    await refused.close();
    const fine = new Agent({ provider: lying({ reasoningTokens: null, costUsd: 0.5 }), prompt: "p", databaseUrl: database.url });
    expect((await fine.run("x")).status).toBe("success");
    await fine.close();
  });
});
