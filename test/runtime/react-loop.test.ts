import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Agent, Budget, ChatMessage, ContextBlock, NativeToolCalling, tool } from "../../src/index.js";
import type { AgentStep, LLMResponse, Notifier } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { add, lookup, readRange, refund, sleep } from "../support/tools.js";

function recorder(): { notifier: Notifier; log: string[] } {
  const log: string[] = [];
  const notifier: Notifier = {
    onRunStarted: () => void log.push("run_started"),
    onRunFinished: (_id, r) => void log.push(`run_finished:${r.status}`),
    onRunFailed: () => void log.push("run_failed"),
    onMessageAppended: (_id, m, i) => void log.push(`message:${m.role}:${i}`),
    onLlmCallStarted: (_id, i) => void log.push(`llm_started:${i}`),
    onLlmCallCompleted: (_id, _r, i) => void log.push(`llm_completed:${i}`),
    onLlmCallFailed: (_id, i) => void log.push(`llm_failed:${i}`),
    onToolStarted: (_id, c, i) => void log.push(`tool_started:${c.name}:${i}`),
    onToolCompleted: (_id, c, r, i) => void log.push(`tool_completed:${c.name}:${r.success}:${i}`),
    onGovernanceEvent: (_id, t, i) => void log.push(`governance:${t}:${i}`),
  };
  return { notifier, log };
}

describe("ReActLoop", () => {
  it("runs a tool loop end to end and feeds the result back to the model", async () => {
    const llm = new MockLLM([
      { text: "adding", toolCalls: [{ name: "add", params: { a: 15, b: 27 }, providerToolCallId: "toolu_1" }], usage: { inputTokens: 20, outputTokens: 5 } },
      { text: "42", usage: { inputTokens: 30, outputTokens: 2, costUsd: 0.001 } },
    ]);
    const agent = new Agent({ name: "Calc", provider: llm, prompt: "You add.", tools: [add] });
    const result = await agent.run("15 + 27?");
    expect(result).toMatchObject({ status: "success", answer: "42", iterationCount: 2, error: null, warnings: [] });
    expect(result.runId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(result.usage).toEqual({
      inputTokens: 50,
      outputTokens: 7,
      totalTokens: 57,
      costUsd: 0.001,
      cacheReadInputTokens: null,
      cacheCreationInputTokens: null,
      reasoningTokens: null,
    });
    const second = llm.calls[1]!;
    expect(second.system).toBe("You add.");
    expect(second.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
    const assistant = second.messages[1]!;
    expect(assistant.toolCalls?.[0]).toMatchObject({ name: "add", params: { a: 15, b: 27 }, providerToolCallId: "toolu_1" });
    expect(second.messages[2]).toMatchObject({ role: "tool", content: "42", name: "add", callId: assistant.toolCalls![0]!.id });
    expect(second.cacheKeyPrefix).toBe("Calc:mock");
    expect(second.runId).toBe(result.runId);
  });

  it("sorts tool definitions by name and sends none when there are no tools", async () => {
    const llm = new MockLLM(["a", "b"]);
    await new Agent({ provider: llm, prompt: "p", tools: [refund, add, lookup] }).run("x");
    expect(llm.calls[0]!.tools!.map((t) => t.name)).toEqual(["add", "lookup", "refund"]);
    const bare = new MockLLM(["a"]);
    await new Agent({ provider: bare, prompt: "p" }).run("x");
    expect(bare.calls[0]!.tools).toBeNull();
  });

  it("never runs execute with invalid arguments; the model reads the problem", async () => {
    let executed = false;
    const strict = tool({
      name: "strict",
      description: "",
      parameters: z.object({ n: z.number() }),
      execute: () => {
        executed = true;
        return 1;
      },
    });
    const llm = new MockLLM([{ toolCalls: [{ name: "strict", params: { n: "seven" } }] }, "done"]);
    const result = await new Agent({ provider: llm, prompt: "p", tools: [strict] }).run("x");
    expect(executed).toBe(false);
    expect(result.status).toBe("success");
    const toolMsg = llm.calls[1]!.messages[2]!;
    expect(toolMsg.meta).toEqual({ is_error: true });
    expect(JSON.parse(toolMsg.content).error).toMatch(/^Invalid arguments for tool 'strict': n: .*expected number/);
  });

  it("turns thrown errors, timeouts, unknown tools and bad return values into failed results", async () => {
    const boom = tool({ name: "boom", description: "", parameters: z.object({}), execute: () => { throw new Error("kaput"); } });
    const slow = tool({ name: "slow", description: "", parameters: z.object({}), timeoutSeconds: 0.05, execute: () => sleep(1000) });
    const weird = tool({ name: "weird", description: "", parameters: z.object({}), execute: () => new Set([1]) });
    const text = tool({ name: "text", description: "", parameters: z.object({}), execute: () => "héllo" });
    const llm = new MockLLM([
      { toolCalls: [{ name: "boom" }, { name: "slow" }, { name: "ghost" }, { name: "weird" }, { name: "text" }] },
      "ok",
    ]);
    const result = await new Agent({ provider: llm, prompt: "p", tools: [boom, slow, weird, text] }).run("x");
    expect(result.status).toBe("success");
    const contents = llm.calls[1]!.messages.filter((m) => m.role === "tool").map((m) => m.content);
    expect(contents).toEqual([
      '{"error": "kaput"}',
      `{"error": "Tool 'slow' timed out after 0.05s"}`,
      '{"error": "Unknown tool: ghost"}',
      `{"error": "Tool 'weird' returned a non-JSON-serializable value: Set. Tool return values must be JSON-serializable (string, number, boolean, array, object, or null)."}`,
      '"h\\u00e9llo"',
    ]);
  });

  it("aborts the tool's signal when it times out", async () => {
    let aborted = false;
    const slow = tool({
      name: "slow",
      description: "",
      parameters: z.object({}),
      timeoutSeconds: 0.02,
      execute: (_a, ctx) => new Promise((resolve) => ctx.signal.addEventListener("abort", () => { aborted = true; resolve(null); })),
    });
    await new Agent({ provider: new MockLLM([{ toolCalls: [{ name: "slow" }] }, "ok"]), prompt: "p", tools: [slow] }).run("x");
    expect(aborted).toBe(true);
  });

  it("passes runId and callId to execute", async () => {
    const seen: string[] = [];
    const probe = tool({ name: "probe", description: "", parameters: z.object({}), execute: (_a, ctx) => { seen.push(ctx.runId, ctx.callId); return 1; } });
    const llm = new MockLLM([{ toolCalls: [{ name: "probe", id: "01CALLID00000000000000000A" }] }, "ok"]);
    const result = await new Agent({ provider: llm, prompt: "p", tools: [probe] }).run("x");
    expect(seen).toEqual([result.runId, "01CALLID00000000000000000A"]);
  });

  it("enforces maxCallsPerRun with the reference's limit message", async () => {
    const once = tool({ name: "once", description: "", parameters: z.object({}), maxCallsPerRun: 1, execute: () => "ran" });
    const llm = new MockLLM([{ toolCalls: [{ name: "once" }, { name: "once" }] }, { toolCalls: [{ name: "once" }] }, "ok"]);
    const { notifier, log } = recorder();
    await new Agent({ provider: llm, prompt: "p", tools: [once] }).run("x", { notifier });
    const first = llm.calls[1]!.messages.filter((m) => m.role === "tool").map((m) => m.content);
    expect(first).toEqual([`{"limit": "Tool 'once' has reached its maximum of 1 calls for this run."}`, '"ran"']);
    const second = llm.calls[2]!.messages.filter((m) => m.role === "tool").map((m) => m.content);
    expect(second[2]).toContain("has reached its maximum of 1 calls");
    // limit results complete without starting
    expect(log.filter((l) => l.startsWith("tool_"))).toEqual([
      "tool_completed:once:false:1",
      "tool_started:once:1",
      "tool_completed:once:true:1",
      "tool_completed:once:false:2",
    ]);
  });

  it("runs parallel tools concurrently and parallel:false tools alone, in order", async () => {
    const events: string[] = [];
    const mk = (name: string, parallel: boolean) =>
      tool({
        name,
        description: "",
        parameters: z.object({}),
        parallel,
        execute: async () => {
          events.push(`start:${name}`);
          await sleep(80);
          events.push(`end:${name}`);
          return name;
        },
      });
    const llm = new MockLLM([{ toolCalls: [{ name: "a" }, { name: "b" }, { name: "c" }, { name: "d" }] }, "ok"]);
    const agent = new Agent({ provider: llm, prompt: "p", tools: [mk("a", true), mk("b", true), mk("c", false), mk("d", true)] });
    await agent.run("x");
    // a and b overlap (both start before either ends); c runs alone; d after it.
    expect(events.slice(0, 2).sort()).toEqual(["start:a", "start:b"]);
    expect(events.slice(4)).toEqual(["start:c", "end:c", "start:d", "end:d"]);
    expect(llm.calls[1]!.messages.filter((m) => m.role === "tool").map((m) => m.name)).toEqual(["a", "b", "c", "d"]);
  });

  it("stops at maxIterations without another call", async () => {
    const llm = new MockLLM([{ toolCalls: [{ name: "add", params: { a: 1, b: 1 } }] }, { toolCalls: [{ name: "add", params: { a: 1, b: 1 } }] }]);
    const result = await new Agent({ provider: llm, prompt: "p", tools: [add], maxIterations: 2 }).run("x");
    expect(result).toMatchObject({ status: "max_iterations", answer: null, iterationCount: 2 });
    expect(llm.callsMade).toBe(2);
  });

  it("pauses for a clarification from a custom strategy", async () => {
    class AskingStrategy extends NativeToolCalling {
      override parseResponse(response: LLMResponse): AgentStep {
        return { reasoning: null, action: { type: "clarification", question: response.text ?? "" }, rawResponse: response.text };
      }
    }
    const result = await new Agent({ provider: new MockLLM(["Which account?"]), prompt: "p", strategy: new AskingStrategy() }).run("x");
    expect(result).toMatchObject({ status: "waiting_human_input", answer: "Which account?", iterationCount: 1 });
  });

  it("pauses for client tools after running the server calls of the batch", async () => {
    const llm = new MockLLM([{ toolCalls: [{ name: "add", params: { a: 1, b: 2 } }, { name: "read_range", params: { sheet: "S1" } }] }]);
    const result = await new Agent({ provider: llm, prompt: "p", tools: [add, readRange] }).run("x");
    expect(result.status).toBe("waiting_client_tool");
    expect(result.pendingToolCalls?.map((c) => c.name)).toEqual(["read_range"]);
  });

  it("denies by policy and gates approvals on the whole batch", async () => {
    const { notifier, log } = recorder();
    const llm = new MockLLM([{ toolCalls: [{ name: "refund", params: { id: "o1" } }, { name: "lookup", params: { id: "o1" } }, { name: "add", params: { a: 1, b: 1 } }] }]);
    const agent = new Agent({ provider: llm, prompt: "p", tools: [refund, lookup, add], deny: ["add"], requireApproval: ["refund"] });
    const result = await agent.run("x", { notifier });
    expect(result.status).toBe("waiting_approval");
    expect(result.pendingToolCalls?.map((c) => c.name)).toEqual(["refund", "lookup"]);
    expect(log).toContain("governance:policy.denied:1");
    expect(log).toContain("governance:approval.requested:1");
    expect(log.some((l) => l.startsWith("tool_started"))).toBe(false);
  });

  it("emits each budget threshold once", async () => {
    const { notifier, log } = recorder();
    const llm = new MockLLM([
      { toolCalls: [{ name: "add", params: { a: 1, b: 1 } }], usage: { inputTokens: 50, outputTokens: 10 } },
      { toolCalls: [{ name: "add", params: { a: 1, b: 1 } }], usage: { inputTokens: 20, outputTokens: 0 } },
      { text: "done", usage: { inputTokens: 30, outputTokens: 0 } },
    ]);
    await new Agent({ provider: llm, prompt: "p", tools: [add], budget: new Budget({ maxTokens: 100 }) }).run("x", { notifier });
    expect(log.filter((l) => l.startsWith("governance"))).toEqual([
      "governance:budget.threshold:1",
      "governance:budget.threshold:2",
      "governance:budget.threshold:3",
      "governance:budget.exceeded:3",
    ]);
  });

  it("places history between the system prompt and the new input", async () => {
    const llm = new MockLLM(["fine"]);
    await new Agent({ provider: llm, prompt: "p" }).run("and now?", { history: [ChatMessage.user("hi"), ChatMessage.assistant("hello")] });
    expect(llm.calls[0]!.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "hi"],
      ["assistant", "hello"],
      ["user", "and now?"],
    ]);
  });

  it("folds context blocks with the reference's labels", async () => {
    const llm = new MockLLM(["a", "b", "c"]);
    const agent = new Agent({ provider: llm, prompt: "p" });
    await agent.run("Q", { context: [new ContextBlock("S", { placement: "stable" }), new ContextBlock("D")] });
    expect(llm.calls[0]!.messages).toEqual([
      { role: "user", content: "STABLE CONTEXT:\nS\n\nUSER MESSAGE:\nADDITIONAL CONTEXT:\nD\n\nUSER INPUT:\nQ", placement: "stable" },
    ]);
    await agent.run("Q", { history: [ChatMessage.user("h0"), ChatMessage.assistant("a0")], context: [new ContextBlock("S", { placement: "stable" }), new ContextBlock("D")] });
    expect(llm.calls[1]!.messages).toEqual([
      { role: "user", content: "STABLE CONTEXT:\nS\n\nUSER MESSAGE:\nh0", placement: "stable" },
      { role: "assistant", content: "a0" },
      { role: "user", content: "ADDITIONAL CONTEXT:\nD\n\nUSER INPUT:\nQ" },
    ]);
    await agent.run("Q", { context: [] });
    expect(llm.calls[2]!.messages).toEqual([{ role: "user", content: "Q" }]);
  });

  it("notifies in the documented order", async () => {
    const { notifier, log } = recorder();
    const llm = new MockLLM([{ toolCalls: [{ name: "add", params: { a: 1, b: 2 } }] }, "3"]);
    await new Agent({ provider: llm, prompt: "p", tools: [add] }).run("x", { notifier });
    expect(log).toEqual([
      "run_started",
      "message:user:0",
      "llm_started:1",
      "llm_completed:1",
      "message:assistant:1",
      "tool_started:add:1",
      "tool_completed:add:true:1",
      "message:tool:1",
      "llm_started:2",
      "llm_completed:2",
      "message:assistant:2",
      "run_finished:success",
    ]);
  });

  it("keeps running when a notifier throws and reports it as a warning", async () => {
    const notifier: Notifier = {
      onToolStarted: () => {
        throw new Error("observer down");
      },
      onRunStarted: () => {
        throw new Error("also down");
      },
    };
    const llm = new MockLLM([{ toolCalls: [{ name: "add", params: { a: 1, b: 2 } }] }, "3"]);
    const result = await new Agent({ provider: llm, prompt: "p", tools: [add] }).run("x", { notifier });
    expect(result.status).toBe("success");
    expect(result.warnings).toEqual([`onRunStarted failed for run ${result.runId}`, "onToolStarted failed at iteration 1"]);
  });

  it("raises provider failures after notifying", async () => {
    const { notifier, log } = recorder();
    const agent = new Agent({ provider: new MockLLM([]), prompt: "p" });
    await expect(agent.run("x", { notifier })).rejects.toThrow("MockLLM exhausted: 0 calls made but only 0 responses provided");
    expect(log).toEqual(["run_started", "message:user:0", "llm_started:1", "llm_failed:1", "run_failed"]);
  });

  it("forwards per-call provider options to every call", async () => {
    const llm = new MockLLM([{ toolCalls: [{ name: "add", params: { a: 1, b: 2 } }] }, "3"]);
    await new Agent({ provider: llm, prompt: "p", tools: [add] }).run("x", { model: "m2", temperature: 0.2, maxTokens: 50 });
    for (const call of llm.calls) expect(call.options).toEqual({ model: "m2", temperature: 0.2, maxTokens: 50 });
    expect(llm.calls[0]!.cacheKeyPrefix).toBe("Agent:mock");
  });

  it("cancels on the caller's AbortSignal and rejects with its reason", async () => {
    const slow = tool({ name: "slow", description: "", parameters: z.object({}), execute: () => sleep(50).then(() => "ok") });
    const controller = new AbortController();
    const llm = new MockLLM([{ toolCalls: [{ name: "slow" }] }, "never"]);
    const { notifier, log } = recorder();
    const pending = new Agent({ provider: llm, prompt: "p", tools: [slow] }).run("x", { signal: controller.signal, notifier });
    setTimeout(() => controller.abort(new Error("user left")), 10);
    await expect(pending).rejects.toThrow("user left");
    expect(llm.callsMade).toBe(1);
    expect(log.at(-1)).toBe("run_finished:cancelled");
  });
});
