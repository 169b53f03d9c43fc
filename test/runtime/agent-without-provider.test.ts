import { expect, it } from "vitest";
import { Agent, ProviderNotConfiguredError } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { describeEachBackend, useRunDatabase } from "../support/backends.js";
import { refund } from "../support/tools.js";

describeEachBackend("an agent without a provider", (backend) => {
  const db = useRunDatabase(backend);

  it("describes itself, cancels a paused run, and refuses every model call with a typed error that changes nothing", async () => {
    const worker = db.track(
      new Agent({
        name: "Refunds",
        provider: new MockLLM([{ toolCalls: [{ name: "refund", params: { id: "o1" } }] }]),
        prompt: "Refund orders.",
        tools: [refund],
        requireApproval: ["refund"],
        databaseUrl: db.url,
      }),
    );
    const paused = await worker.run("refund o1");
    expect(paused.status).toBe("waiting_approval");

    // An operator process: same name and database, no model.
    await using operator = new Agent({ name: "Refunds", prompt: "Refund orders.", tools: [refund], databaseUrl: db.url });
    expect(operator.provider).toBeNull();
    expect(operator.model).toBe("");
    expect(operator.getToolDefs().map((d) => d.name)).toEqual(["refund"]);

    const refusals: [string, () => unknown][] = [
      ["run", () => operator.run("hello")],
      ["retry", () => operator.retry(paused.runId)],
      ["submitApproval", () => operator.submitApproval(paused.runId, { approved: true })],
      ["submitToolResults", () => operator.submitToolResults(paused.runId, [])],
      ["submitInput", () => operator.submitInput(paused.runId, "yes")],
      ["resume", () => operator.resume(paused.runId)],
      ["stream", () => operator.stream("hello")],
      ["resumeStream", () => operator.resumeStream(paused.runId)],
    ];
    for (const [operation, call] of refusals) {
      let error: unknown;
      try {
        await call();
      } catch (e) {
        error = e;
      }
      expect(error, operation).toBeInstanceOf(ProviderNotConfiguredError);
      expect((error as ProviderNotConfiguredError).operation).toBe(operation);
      expect((error as Error).message).toBe(
        `Agent 'Refunds' has no provider, so ${operation}() cannot run the model. Pass provider to the Agent constructor (an agent without one can only cancel runs).`,
      );
    }
    // Nothing was written or claimed: one run, still paused.
    expect(await db.store.countRuns({ agentName: "Refunds" })).toBe(1);
    expect((await db.store.getRun(paused.runId))?.status).toBe("waiting_approval");

    const cancelled = await operator.cancelRun(paused.runId);
    expect(cancelled.status).toBe("cancelled");
    expect((await db.store.getEvents(paused.runId)).at(-1)?.eventType).toBe("run.cancelled");
  });
});
