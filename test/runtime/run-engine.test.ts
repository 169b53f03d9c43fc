import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  Agent,
  askHuman,
  DendruxError,
  PendingToolMismatchError,
  ProviderError,
  RunAlreadyClaimedError,
  RunAlreadyTerminalError,
  RunFailedError,
  RunNotPausedError,
  PauseStatusMismatchError,
  ValidationError,
  sweep,
  tool,
  type AnyTool,
  type LLMProvider,
  type LLMRequest,
  type LLMResponse,
} from "../../src/index.js";
import { MockLLM, type MockStep } from "../../src/llm/mock/index.js";
import { describeEachBackend, useRunDatabase } from "../support/backends.js";
import { deferred, readRange, sleep } from "../support/tools.js";

const execute = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");

/** A refund tool that counts its executions, so "executed once" is checkable. */
function countingRefund(options: { maxCallsPerRun?: number; parallel?: boolean; log?: string[] } = {}) {
  const executed: string[] = [];
  const refund = tool({
    name: "refund",
    description: "Refund an order.",
    parameters: z.object({ id: z.string() }),
    ...(options.maxCallsPerRun ? { maxCallsPerRun: options.maxCallsPerRun } : {}),
    ...(options.parallel !== undefined ? { parallel: options.parallel } : {}),
    execute: async ({ id }) => {
      options.log?.push(`start ${id}`);
      await sleep(5);
      executed.push(id);
      options.log?.push(`end ${id}`);
      return `refunded ${id}`;
    },
  });
  return { refund, executed };
}

/** A provider that never answers and ignores the abort signal. */
class DeafProvider implements LLMProvider {
  readonly model = "deaf";
  entered = deferred();
  complete(_request: LLMRequest): Promise<LLMResponse> {
    this.entered.resolve();
    return new Promise(() => undefined);
  }
}

describeEachBackend("one run engine", (backend) => {
  const database = useRunDatabase(backend);
  const agent = (script: MockStep[] | LLMProvider, tools: AnyTool[], extra: Partial<ConstructorParameters<typeof Agent>[0]> = {}) =>
    database.track(
      new Agent({ name: "Engine", provider: Array.isArray(script) ? new MockLLM(script) : script, prompt: "p", tools, databaseUrl: database.url, ...extra }),
    );
  const eventTypes = async (runId: string) => (await database.store.getEvents(runId)).map((e) => e.eventType);
  const contiguous = async (runId: string) => {
    const events = await database.store.getEvents(runId);
    expect(events.map((e) => e.sequenceIndex)).toEqual(events.map((_, i) => i));
  };

  it("a mixed batch: approval, then the client tool pauses the run, then its result finishes it; the tool ran once", async () => {
    const { refund, executed } = countingRefund();
    const llm = new MockLLM([{ toolCalls: [{ name: "refund", params: { id: "o1" } }, { name: "read_range", params: { sheet: "S" } }] }, "done"]);
    const a = agent(llm, [refund, readRange], { requireApproval: ["refund"] });
    const paused = await a.run("go");
    expect(paused.status).toBe("waiting_approval");
    expect(paused.pendingToolCalls!.map((c) => c.name)).toEqual(["refund", "read_range"]);

    const approved = await a.submitApproval(paused.runId, { approved: true });
    expect(approved.status).toBe("waiting_client_tool");
    expect(approved.pendingToolCalls!.map((c) => c.name)).toEqual(["read_range"]);
    expect(executed).toEqual(["o1"]);

    const readCall = approved.pendingToolCalls![0]!;
    const done = await a.submitToolResults(paused.runId, [{ name: "read_range", callId: readCall.id, payload: '"A1=5"' }]);
    expect(done).toMatchObject({ status: "success", answer: "done" });
    expect(executed).toEqual(["o1"]);

    const tools = await database.store.getToolInvocations(paused.runId);
    expect(tools.map((t) => [t.toolName, t.target, t.success])).toEqual([
      ["refund", "server", true],
      ["read_range", "client", true],
    ]);
    expect(await eventTypes(paused.runId)).toEqual([
      "run.started",
      "llm.completed",
      "approval.requested",
      "run.paused",
      "run.resumed",
      "tool.completed",
      "approval.decided",
      "run.paused",
      "run.resumed",
      "tool.completed",
      "llm.completed",
      "run.completed",
    ]);
    await contiguous(paused.runId);
    // The model saw both results, the client's exactly as submitted.
    const lastRequest = llm.calls.at(-1)!.messages.filter((m) => m.role === "tool");
    expect(lastRequest.map((m) => [m.name, m.content])).toEqual([
      ["refund", '"refunded o1"'],
      ["read_range", '"A1=5"'],
    ]);
  });

  it("decides each call: one approved, one rejected with a reason; concurrent submitters have exactly one winner", async () => {
    const { refund, executed } = countingRefund();
    const llm = new MockLLM([{ toolCalls: [{ name: "refund", params: { id: "o1" } }, { name: "refund", params: { id: "o2" } }] }, "one refunded"]);
    const a = agent(llm, [refund], { requireApproval: ["refund"] });
    const paused = await a.run("go");
    const [first, second] = paused.pendingToolCalls!;
    const decisions = [
      { callId: first!.id, approved: true },
      { callId: second!.id, approved: false, reason: "Over the limit." },
    ];
    const submitters = [a, ...[1, 2, 3].map(() => agent(new MockLLM(["other"]), [refund], { requireApproval: ["refund"] }))];
    const outcomes = await Promise.allSettled(submitters.map((s) => s.submitApproval(paused.runId, { decisions })));
    const winners = outcomes.filter((o) => o.status === "fulfilled");
    expect(winners).toHaveLength(1);
    expect((winners[0] as PromiseFulfilledResult<{ status: string }>).value.status).toBe("success");
    for (const lost of outcomes.filter((o) => o.status === "rejected")) {
      expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(DendruxError);
      // A loser sees the run claimed, running, or already finished, depending on when it looked.
      expect([RunAlreadyClaimedError, RunNotPausedError, RunAlreadyTerminalError, PauseStatusMismatchError].some((c) => (lost as PromiseRejectedResult).reason instanceof c)).toBe(true);
    }
    expect(executed).toEqual(["o1"]);

    const decided = (await database.store.getEvents(paused.runId)).filter((e) => e.eventType === "approval.decided");
    expect(decided.map((e) => e.data)).toEqual([
      { decision: "approved", run_id: paused.runId, call_id: first!.id },
      { decision: "rejected", run_id: paused.runId, call_id: second!.id },
    ]);
    expect(decided.map((e) => e.correlationId)).toEqual([first!.id, second!.id]);
    const toolMessages = llm.calls.at(-1)!.messages.filter((m) => m.role === "tool");
    expect(toolMessages.map((m) => [m.callId, m.content])).toEqual([
      [second!.id, '"Over the limit."'],
      [first!.id, '"refunded o1"'],
    ]);
    await contiguous(paused.runId);
  });

  it("refuses decisions that miss, repeat or invent a call, naming it, and changes nothing", async () => {
    const { refund, executed } = countingRefund();
    const a = agent([{ toolCalls: [{ name: "refund", params: { id: "o1" } }, { name: "refund", params: { id: "o2" } }] }], [refund], { requireApproval: ["refund"] });
    const paused = await a.run("go");
    const [first, second] = paused.pendingToolCalls!;
    const before = { row: await database.store.getRun(paused.runId), events: await database.store.getEvents(paused.runId) };

    const missing = a.submitApproval(paused.runId, { decisions: [{ callId: first!.id, approved: true }] });
    await expect(missing).rejects.toBeInstanceOf(ValidationError);
    await expect(missing).rejects.toThrow(`missing decisions for call_ids=['${second!.id}']`);
    const unknown = a.submitApproval(paused.runId, {
      decisions: [
        { callId: first!.id, approved: true },
        { callId: second!.id, approved: true },
        { callId: "nope", approved: false },
      ],
    });
    await expect(unknown).rejects.toThrow("unknown call_ids=['nope']");
    const twice = a.submitApproval(paused.runId, {
      decisions: [
        { callId: first!.id, approved: true },
        { callId: first!.id, approved: false },
        { callId: second!.id, approved: true },
      ],
    });
    await expect(twice).rejects.toThrow(`duplicate call_ids=['${first!.id}']`);
    await expect(a.submitApproval(paused.runId, { decisions: [{ callId: first!.id, approved: "yes" as never }] })).rejects.toThrow(
      "decisions[0].approved must be a boolean",
    );
    await expect(a.submitApproval(paused.runId, { approved: true, decisions: [] } as never)).rejects.toThrow("takes either approved (the whole batch) or decisions");

    expect(await database.store.getRun(paused.runId)).toEqual(before.row);
    expect(await database.store.getEvents(paused.runId)).toEqual(before.events);
    expect(executed).toEqual([]);
  });

  it("approved calls go through the batch: maxCallsPerRun and parallel: false hold", async () => {
    const log: string[] = [];
    const { refund, executed } = countingRefund({ maxCallsPerRun: 2, parallel: false, log });
    const llm = new MockLLM([
      { toolCalls: [1, 2, 3].map((n) => ({ name: "refund", params: { id: `o${n}` } })) },
      "done",
    ]);
    const a = agent(llm, [refund], { requireApproval: ["refund"] });
    const paused = await a.run("go");
    const done = await a.submitApproval(paused.runId, { approved: true });
    expect(done.status).toBe("success");
    expect(executed).toEqual(["o1", "o2"]);
    expect(log).toEqual(["start o1", "end o1", "start o2", "end o2"]);
    // As in a fresh batch: the limited call's result comes before the executed ones.
    const results = llm.calls.at(-1)!.messages.filter((m) => m.role === "tool").map((m) => m.content);
    expect(results).toEqual([
      expect.stringContaining("'refund' has reached its maximum of 2 calls for this run"),
      '"refunded o1"',
      '"refunded o2"',
    ]);
  });

  it("refuses a resume by an agent lacking a pending tool (or with another target), naming it, with nothing changed", async () => {
    const { refund } = countingRefund();
    const a = agent([{ toolCalls: [{ name: "refund", params: { id: "o1" } }, { name: "read_range", params: { sheet: "S" } }] }], [refund, readRange], {
      requireApproval: ["refund"],
    });
    const paused = await a.run("go");
    const before = { row: await database.store.getRun(paused.runId), events: await database.store.getEvents(paused.runId) };

    const lacking = agent(["x"], [readRange]);
    const refused = lacking.submitApproval(paused.runId, { approved: true });
    await expect(refused).rejects.toBeInstanceOf(PendingToolMismatchError);
    await expect(refused).rejects.toThrow("'refund'");
    const serverRead = tool({ name: "read_range", description: "", parameters: z.object({ sheet: z.string() }), execute: () => "x" });
    const wrongTarget = agent(["x"], [refund, serverRead]);
    const error = await wrongTarget.submitApproval(paused.runId, { approved: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PendingToolMismatchError);
    expect(error).toMatchObject({ runId: paused.runId, toolName: "read_range", expectedTarget: "client", actualTarget: "server" });

    expect(await database.store.getRun(paused.runId)).toEqual(before.row);
    expect(await database.store.getEvents(paused.runId)).toEqual(before.events);
  });

  it("askHuman pauses waiting_human_input with the question, and the answer becomes the call's result", async () => {
    const llm = new MockLLM([{ toolCalls: [{ name: "ask_human", params: { question: "Which order?", options: ["o1", "o2"] } }] }, "Refunding o2."]);
    const a = agent(llm, [askHuman()]);
    const paused = await a.run("refund my order");
    expect(paused).toMatchObject({ status: "waiting_human_input", answer: "Which order?" });
    expect(paused.pendingToolCalls!.map((c) => [c.name, c.params])).toEqual([["ask_human", { question: "Which order?", options: ["o1", "o2"] }]]);
    const pauses = await database.store.getPauses(paused.runId);
    expect(pauses[0]!.pendingToolCalls).toMatchObject([{ name: "ask_human", target: "human" }]);

    const done = await a.submitInput(paused.runId, "o2");
    expect(done).toMatchObject({ status: "success", answer: "Refunding o2." });
    const toolMessage = llm.calls[1]!.messages.find((m) => m.role === "tool")!;
    expect(toolMessage).toMatchObject({ name: "ask_human", callId: paused.pendingToolCalls![0]!.id, content: '"o2"' });
    const [row] = await database.store.getToolInvocations(paused.runId);
    expect(row).toMatchObject({ toolName: "ask_human", target: "human", success: true, result: "o2" });
    await contiguous(paused.runId);
  });

  it("a batch with a client tool and a question pauses for the client first, then for the human", async () => {
    const llm = new MockLLM([
      { toolCalls: [{ name: "read_range", params: { sheet: "S" } }, { name: "ask_human", params: { question: "Which cell?" } }] },
      "done",
    ]);
    const a = agent(llm, [readRange, askHuman()]);
    const paused = await a.run("go");
    expect(paused.status).toBe("waiting_client_tool");
    expect(paused.pendingToolCalls!.map((c) => c.name)).toEqual(["read_range", "ask_human"]);
    const [read] = paused.pendingToolCalls!;
    const asked = await a.submitToolResults(paused.runId, [{ name: "read_range", callId: read!.id, payload: "[[1]]" }]);
    expect(asked).toMatchObject({ status: "waiting_human_input", answer: "Which cell?" });
    expect(asked.pendingToolCalls!.map((c) => c.name)).toEqual(["ask_human"]);
    const done = await a.submitInput(paused.runId, "A1");
    expect(done.status).toBe("success");
    expect(llm.calls[1]!.messages.filter((m) => m.role === "tool").map((m) => [m.name, m.content])).toEqual([
      ["read_range", "[[1]]"],
      ["ask_human", '"A1"'],
    ]);
    await contiguous(paused.runId);
  });

  it("resumeStream takes per-call decisions and streams the approved call's result", async () => {
    const { refund, executed } = countingRefund();
    const a = agent([{ toolCalls: [{ name: "refund", params: { id: "o1" } }, { name: "refund", params: { id: "o2" } }] }, "done"], [refund], {
      requireApproval: ["refund"],
    });
    const paused = await a.run("go");
    const [first, second] = paused.pendingToolCalls!;
    const events: string[] = [];
    for await (const event of a.resumeStream(paused.runId, { decisions: [{ callId: first!.id, approved: false }, { callId: second!.id, approved: true }] })) {
      events.push(event.type === "tool_result" ? `tool_result:${event.toolCall.params.id as string}` : event.type);
    }
    expect(events).toEqual(["run_resumed", "tool_result:o2", "text_delta", "run_completed"]);
    expect(executed).toEqual(["o2"]);
  });

  it("askHuman round trip: paused in one OS process, answered in another", async () => {
    const node = async (...args: string[]) => {
      const { stdout } = await execute(process.execPath, ["--import", "tsx", join(root, "test/support/ask-human-child.ts"), database.url, ...args], {
        cwd: root,
        env: { ...process.env, DENDRUX_LOG: "silent" },
      });
      return JSON.parse(stdout.trim().split("\n").at(-1)!) as { runId: string; status: string; answer: string | null };
    };
    const paused = await node("start");
    expect(paused).toMatchObject({ status: "waiting_human_input", answer: "Which order?" });
    const done = await node("answer", paused.runId, "o7");
    expect(done).toMatchObject({ runId: paused.runId, status: "success", answer: "You said o7." });
    expect(await eventTypes(paused.runId)).toEqual(["run.started", "llm.completed", "run.paused", "run.resumed", "tool.completed", "llm.completed", "run.completed"]);
  });

  it("a run holds a lease: a 3-second tool is never swept by a 1-second stale sweep", async () => {
    const slow = tool({ name: "slow", description: "", parameters: z.object({}), timeoutSeconds: 30, execute: () => sleep(3000).then(() => "finally") });
    const a = agent([{ toolCalls: [{ name: "slow" }] }, "done"], [slow], { heartbeatMs: 200 });
    let finished = false;
    const running = a.run("go").finally(() => (finished = true));
    const swept: string[] = [];
    while (!finished) {
      await sleep(250);
      const result = await sweep({ databaseUrl: database.url, staleRunningMs: 1000 });
      swept.push(...result.staleRunning.map((r) => r.runId));
    }
    const result = await running;
    expect(result.status).toBe("success");
    expect(swept).not.toContain(result.runId);
  });

  it("a run finalized by a sweep mid-flight stops, appends nothing after run.interrupted, and run() rejects", async () => {
    const sweeping = tool({
      name: "sweeping",
      description: "",
      parameters: z.object({}),
      execute: async () => {
        await sleep(30);
        const result = await sweep({ databaseUrl: database.url, staleRunningMs: 10 });
        return result.staleRunning.length;
      },
    });
    const a = agent([{ toolCalls: [{ name: "sweeping" }] }, "never"], [sweeping]);
    const error = await a.run("go").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunAlreadyTerminalError);
    expect(error).toMatchObject({ failureReason: "stale_running", currentStatus: "error" });
    const runId = (error as RunAlreadyTerminalError).runId;
    const types = await eventTypes(runId);
    expect(types.at(-1)).toBe("run.interrupted");
    expect(types).toEqual(["run.started", "llm.completed", "run.interrupted"]);
    expect(await database.store.getToolInvocations(runId)).toEqual([]);
    expect((await database.store.getRun(runId))!.status).toBe("error");
  });

  it("cancellation settles when the provider ignores the signal: caller's signal, cancelRun here, cancelRun from another agent", async () => {
    const viaSignal = new DeafProvider();
    const a = agent(viaSignal, []);
    const controller = new AbortController();
    const pending = a.run("go", { signal: controller.signal });
    await viaSignal.entered.promise;
    controller.abort(new Error("user left"));
    await expect(pending).rejects.toThrow("user left");

    const here = new DeafProvider();
    const b = agent(here, [], { heartbeatMs: 100 });
    const stream = b.stream("go");
    const events = (async () => {
      const seen: string[] = [];
      for await (const e of stream) seen.push(e.type);
      return seen;
    })();
    await here.entered.promise;
    await b.cancelRun(stream.runId);
    expect((await events).at(-1)).toBe("run_cancelled");
    expect((await database.store.getRun(stream.runId))!.status).toBe("cancelled");

    const elsewhere = new DeafProvider();
    const c = agent(elsewhere, [], { heartbeatMs: 100 });
    const run = c.run("go");
    await elsewhere.entered.promise;
    // Another process sees the run once it is recorded: within `recordWithinMs` of its start.
    let row: Awaited<ReturnType<typeof database.store.listRuns>>[number] | undefined;
    while (!row) {
      [row] = await database.store.listRuns({ status: "running", agentName: "Engine" });
      if (!row) await sleep(10);
    }
    const other = agent(["x"], []);
    await other.cancelRun(row!.runId);
    expect((await run).status).toBe("cancelled");
    expect((await database.store.getRun(row!.runId))!.status).toBe("cancelled");
    expect((await eventTypes(row!.runId)).filter((t) => t === "run.cancelled")).toHaveLength(1);
  }, 10_000);

  it("a tool that ignores the abort signal does not hold up a cancel", async () => {
    const entered = deferred();
    const stubborn = tool({ name: "stubborn", description: "", parameters: z.object({}), timeoutSeconds: 60, execute: () => (entered.resolve(), new Promise(() => undefined)) });
    const a = agent([{ toolCalls: [{ name: "stubborn" }] }, "never"], [stubborn]);
    const controller = new AbortController();
    const pending = a.run("go", { signal: controller.signal });
    await entered.promise;
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    const [row] = await database.store.listRuns({ agentName: "Engine", limit: 1 });
    expect(row!.status).toBe("cancelled");
  }, 10_000);

  it("circular and too-deep tool results become failed results; the run goes on", async () => {
    const circular = tool({
      name: "circular",
      description: "",
      parameters: z.object({}),
      execute: () => {
        const node: Record<string, unknown> = { name: "a" };
        node.self = node;
        return node;
      },
    });
    const deep = tool({
      name: "deep",
      description: "",
      parameters: z.object({}),
      execute: () => {
        let value: unknown = "leaf";
        for (let i = 0; i < 100_000; i++) value = [value];
        return value;
      },
    });
    const llm = new MockLLM([{ toolCalls: [{ name: "circular" }, { name: "deep" }] }, "coped"]);
    const result = await agent(llm, [circular, deep]).run("go");
    expect(result).toMatchObject({ status: "success", answer: "coped" });
    const [first, second] = llm.calls[1]!.messages.filter((m) => m.role === "tool");
    expect(first!.content).toContain("Tool 'circular' returned a value that cannot be encoded as JSON: it contains a circular reference");
    expect(second!.content).toContain("Tool 'deep' returned a value that cannot be encoded as JSON: it is nested deeper than");
    const rows = await database.store.getToolInvocations(result.runId);
    expect(rows.map((r) => r.success)).toEqual([false, false]);
  });

  it("a failed run rejects with an error that carries the run id and its cause", async () => {
    const broken: LLMProvider = { model: "broken", complete: () => Promise.reject(new Error("provider down")) };
    const error = await agent(broken, []).run("go").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ message: "provider down", cause: { message: "provider down" } });
    const runId = (error as ProviderError).runId!;
    expect((await database.store.getRun(runId))!).toMatchObject({ status: "error", error: "provider down" });

  });
});

describe("errors from runs are typed", () => {
  it("a non-dendrux failure inside a run is wrapped in RunFailedError with the run id", async () => {
    const throwing: LLMProvider = {
      model: "m",
      complete: () => {
        throw new Error("sync boom");
      },
    };
    const error = await new Agent({ provider: throwing, prompt: "p" }).run("go").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).runId).toMatch(/^[0-9A-Z]{26}$/);
    class OwnLoopError extends Error {}
    const loop = {
      name: "Broken",
      supportsTools: false,
      // eslint-disable-next-line require-yield
      async *run(): AsyncGenerator<never, never> {
        throw new OwnLoopError("custom loop failed");
      },
    };
    const wrapped = await new Agent({ provider: new MockLLM(["x"]), prompt: "p", loop }).run("go").catch((e: unknown) => e);
    expect(wrapped).toBeInstanceOf(RunFailedError);
    expect(wrapped).toMatchObject({ message: "custom loop failed" });
    expect((wrapped as RunFailedError).cause).toBeInstanceOf(OwnLoopError);
    expect((wrapped as RunFailedError).runId).toMatch(/^[0-9A-Z]{26}$/);
  });
});
