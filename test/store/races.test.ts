import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { Agent, RunAlreadyClaimedError, RunAlreadyTerminalError, RunNotPausedError, tool } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { readRange } from "../support/tools.js";

const TERMINAL_EVENTS = new Set(["run.completed", "run.cancelled", "run.error"]);

describeEachBackend("races", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  const agents: Agent[] = [];
  let refunds = 0;
  const refund = tool({ name: "refund", description: "", parameters: z.object({ id: z.string() }), execute: () => ++refunds });

  function supportAgent(): Agent {
    const model = new MockLLM(Array.from({ length: 4 }, () => (req: { messages: readonly { role: string }[] }) =>
      req.messages.at(-1)!.role === "user" ? { toolCalls: [{ name: "refund", params: { id: "o1" } }] } : "done"));
    const a = new Agent({ name: "Support", provider: model, prompt: "p", tools: [refund, readRange], requireApproval: ["refund"], databaseUrl: database.url });
    agents.push(a);
    return a;
  }

  beforeAll(async () => {
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await store.close();
    await database.cleanup();
  });

  async function assertOneTerminal(runId: string): Promise<string[]> {
    const events = await store.getEvents(runId);
    expect(events.map((e) => e.sequenceIndex)).toEqual(events.map((_, i) => i));
    const types = events.map((e) => e.eventType);
    expect(types.filter((t) => TERMINAL_EVENTS.has(t))).toHaveLength(1);
    return types;
  }

  it("many concurrent approvals: one winner, the tool runs once", async () => {
    for (let round = 0; round < 3; round++) {
      const paused = await supportAgent().run("refund o1");
      expect(paused.status).toBe("waiting_approval");
      const before = refunds;
      const contenders = Array.from({ length: 8 }, () => supportAgent());
      const outcomes = await Promise.allSettled(contenders.map((a) => a.submitApproval(paused.runId, { approved: true })));
      const winners = outcomes.filter((o) => o.status === "fulfilled");
      expect(winners).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === "rejected") {
          expect([RunAlreadyClaimedError, RunNotPausedError, RunAlreadyTerminalError].some((E) => o.reason instanceof E)).toBe(true);
        }
      }
      expect(refunds - before).toBe(1);
      const types = await assertOneTerminal(paused.runId);
      expect(types.filter((t) => t === "run.resumed")).toHaveLength(1);
    }
  });

  it("concurrent client-tool submits: only the winner's data is used", async () => {
    const model = new MockLLM([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }]);
    const starter = new Agent({ name: "Support", provider: model, prompt: "p", tools: [refund, readRange], databaseUrl: database.url });
    agents.push(starter);
    const paused = await starter.run("read");
    const callId = paused.pendingToolCalls![0]!.id;
    const contenders = Array.from({ length: 6 }, () => {
      const a = new Agent({ name: "Support", provider: new MockLLM(["done"]), prompt: "p", tools: [refund, readRange], databaseUrl: database.url });
      agents.push(a);
      return a;
    });
    const outcomes = await Promise.allSettled(contenders.map((a, i) => a.submitToolResults(paused.runId, [{ name: "read_range", callId, payload: `${i}` }])));
    const winner = outcomes.findIndex((o) => o.status === "fulfilled");
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const tools = await store.getToolInvocations(paused.runId);
    expect(tools.map((t) => t.result)).toEqual([winner]);
    await assertOneTerminal(paused.runId);
  });

  it("cancel racing a submit ends in exactly one terminal state", async () => {
    for (let round = 0; round < 4; round++) {
      const paused = await supportAgent().run("refund o1");
      const canceller = supportAgent();
      const submitter = supportAgent();
      const [cancel, submit] = await Promise.allSettled([
        round % 2 ? canceller.cancelRun(paused.runId) : new Promise((r) => setTimeout(r, 0)).then(() => canceller.cancelRun(paused.runId)),
        submitter.submitApproval(paused.runId, { approved: true }),
      ]);
      expect(cancel.status).toBe("fulfilled");
      if (submit.status === "rejected") expect(submit.reason).toBeInstanceOf(RunAlreadyTerminalError);
      const final = (await store.getRun(paused.runId))!.status;
      expect(["cancelled", "success"]).toContain(final);
      const types = await assertOneTerminal(paused.runId);
      expect(types.at(-1)).toBe(final === "cancelled" ? "run.cancelled" : "run.completed");
    }
  });
});
