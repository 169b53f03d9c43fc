import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { Agent, NativeToolCalling, ValidationError, tool, type AgentStep, type AnyTool, type LLMResponse } from "../../src/index.js";
import { MockLLM, type MockStep } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { deferred, readRange, refund } from "../support/tools.js";

class Asking extends NativeToolCalling {
  override parseResponse(response: LLMResponse): AgentStep {
    if (response.text?.endsWith("?")) return { reasoning: null, action: { type: "clarification", question: response.text }, rawResponse: response.text };
    return super.parseResponse(response);
  }
}

describeEachBackend("resume(), same-instance cancel and abort signals", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  const agents: Agent[] = [];
  beforeAll(async () => {
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await store.close();
    await database.cleanup();
  });
  const agent = (script: MockStep[], extra: { tools?: AnyTool[]; requireApproval?: string[]; strategy?: NativeToolCalling } = {}) => {
    const a = new Agent({ name: "Resumer", provider: new MockLLM(script), prompt: "p", tools: extra.tools ?? [readRange, refund], databaseUrl: database.url, ...extra });
    agents.push(a);
    return a;
  };

  it("resume() answers each kind of pause", async () => {
    const client = agent([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }, "read"]);
    const p1 = await client.run("go");
    expect((await client.resume(p1.runId, { toolResults: [{ name: "read_range", callId: p1.pendingToolCalls![0]!.id, payload: "1" }] })).status).toBe("success");

    const approve = agent([{ toolCalls: [{ name: "refund", params: { id: "o1" } }] }, "refunded"], { requireApproval: ["refund"] });
    const p2 = await approve.run("go");
    expect((await approve.resume(p2.runId)).answer).toBe("refunded");
    expect((await store.getEvents(p2.runId)).find((e) => e.eventType === "approval.decided")!.data).toMatchObject({ decision: "approved" });

    const reject = agent([{ toolCalls: [{ name: "refund", params: { id: "o1" } }] }, "not refunded"], { requireApproval: ["refund"] });
    const p3 = await reject.run("go");
    const callId = p3.pendingToolCalls![0]!.id;
    await reject.resume(p3.runId, { toolResults: [{ name: "refund", callId, payload: '"no"', success: false, error: "no" }] });
    expect((await store.getEvents(p3.runId)).find((e) => e.eventType === "approval.decided")!.data).toMatchObject({ decision: "rejected" });

    const human = agent(["Which order?", "ok"], { strategy: new Asking() });
    const p4 = await human.run("go");
    expect((await human.resume(p4.runId, { userInput: "o7" })).answer).toBe("ok");

    await expect(human.resume(p4.runId, { toolResults: [], userInput: "x" })).rejects.toBeInstanceOf(ValidationError);
    expect(() => human.resumeStream(p4.runId, { toolResults: [], userInput: "x" })).toThrow(ValidationError);
  });

  it("a run id that cannot exist (empty, or with a NUL character) is a ValidationError on every method that takes one", async () => {
    const a = agent(["never"]);
    for (const runId of ["", "01RUN\u0000X"]) {
      const refusals = [a.submitToolResults(runId, []), a.submitApproval(runId, { approved: true }), a.submitInput(runId, "x"), a.resume(runId, {}), a.cancelRun(runId), a.retry(runId)];
      for (const refusal of refusals) await expect(refusal).rejects.toMatchObject({ name: "ValidationError", field: "runId" });
    }
  });

  it("cancelRun aborts a run of the same agent instance in flight", async () => {
    const entered = deferred();
    const slow = tool({
      name: "slow",
      description: "",
      parameters: z.object({}),
      execute: (_args, ctx) => new Promise((resolve) => (entered.resolve(), ctx.signal.addEventListener("abort", () => resolve("stopped")))),
    });
    const a = agent([{ toolCalls: [{ name: "slow" }] }, "never"], { tools: [slow] });
    const pending = a.run("go");
    await entered.promise;
    const [row] = await store.listRuns({ status: "running", agentName: "Resumer" });
    await a.cancelRun(row!.runId);
    const result = await pending;
    expect(result.status).toBe("cancelled");
    expect((await store.getRun(row!.runId))!.status).toBe("cancelled");
    const events = await store.getEvents(row!.runId);
    expect(events.filter((e) => e.eventType === "run.cancelled")).toHaveLength(1);
  });

  it("an aborted signal finalizes the persisted run cancelled and rejects", async () => {
    const entered = deferred();
    const slow = tool({ name: "slow", description: "", parameters: z.object({}), execute: () => (entered.resolve(), new Promise((r) => setTimeout(() => r("late"), 100))) });
    const a = agent([{ toolCalls: [{ name: "slow" }] }, "never"], { tools: [slow] });
    const controller = new AbortController();
    const pending = a.run("go", { signal: controller.signal });
    await entered.promise;
    controller.abort(new Error("user left"));
    await expect(pending).rejects.toThrow("user left");
    const [row] = await store.listRuns({ agentName: "Resumer", limit: 1 });
    expect(row!.status).toBe("cancelled");
  });
});
