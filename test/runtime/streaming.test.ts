import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Agent, SingleCall, tool } from "../../src/index.js";
import type { Notifier, RunEvent } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { describeEachBackend } from "../support/backends.js";
import { add } from "../support/tools.js";

describe("agent.stream()", () => {
  it("knows its run id before iteration and streams a tool run in order", async () => {
    const llm = new MockLLM([
      { text: "Adding.", toolCalls: [{ name: "add", params: { a: 1, b: 2 }, providerToolCallId: "toolu_1" }] },
      { text: "The answer is 3.", reasoning: "simple" },
    ]);
    const agent = new Agent({ provider: llm, prompt: "p", tools: [add] });
    const stream = agent.stream("1+2?");
    expect(stream.runId).toMatch(/^[0-9A-Z]{26}$/);
    const events: RunEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual([
      "run_started",
      "text_delta",
      "tool_use_start",
      "tool_use_end",
      "tool_result",
      "reasoning_delta",
      "text_delta",
      "text_delta",
      "run_completed",
    ]);
    expect(events.every((e) => e.runId === stream.runId)).toBe(true);
    const done = events.at(-1)!;
    expect(done.type === "run_completed" && done.result.answer).toBe("The answer is 3.");
    expect(stream.result?.status).toBe("success");
  });

  it("text() concatenates the text deltas", async () => {
    const agent = new Agent({ provider: new MockLLM(["Hello there, general."]), prompt: "p" });
    expect(await agent.stream("hi").text()).toBe("Hello there, general.");
  });

  it("is single use", async () => {
    const stream = new Agent({ provider: new MockLLM(["x"]), prompt: "p" }).stream("hi");
    await stream.text();
    expect(() => stream[Symbol.asyncIterator]()).toThrow("RunStream is single-use; cannot iterate twice");
  });

  it("cancels the run when the consumer breaks early; no further calls or tools run", async () => {
    let toolRuns = 0;
    const counted = tool({ name: "counted", description: "", parameters: z.object({}), execute: () => ++toolRuns });
    const llm = new MockLLM([{ text: "a long preamble before the tool call", toolCalls: [{ name: "counted" }] }, "never"]);
    const finished: string[] = [];
    const notifier: Notifier = { onRunFinished: (_id, r) => void finished.push(r.status) };
    const stream = new Agent({ provider: llm, prompt: "p", tools: [counted] }).stream("go", { notifier });
    for await (const event of stream) {
      if (event.type === "text_delta") break;
    }
    expect(finished).toEqual(["cancelled"]);
    expect(toolRuns).toBe(0);
    expect(llm.callsMade).toBe(1);
  });

  it("supports await using", async () => {
    const finished: string[] = [];
    {
      await using stream = new Agent({ provider: new MockLLM(["abcdefghijklmnop"]), prompt: "p" }).stream("x", {
        notifier: { onRunFinished: (_id, r) => void finished.push(r.status) },
      });
      const it = stream[Symbol.asyncIterator]();
      await it.next();
    }
    expect(finished).toEqual(["cancelled"]);
  });

  it("delivers failures as a final run_error event instead of throwing", async () => {
    const events: RunEvent[] = [];
    for await (const e of new Agent({ provider: new MockLLM([]), prompt: "p" }).stream("x")) events.push(e);
    expect(events.map((e) => e.type)).toEqual(["run_started", "run_error"]);
    const last = events.at(-1)!;
    expect(last.type === "run_error" && last.error).toMatch(/MockLLM exhausted/);
  });

  it("streams a pause as run_paused", async () => {
    const llm = new MockLLM([{ toolCalls: [{ name: "add", params: { a: 1, b: 1 } }] }]);
    const stream = new Agent({ provider: llm, prompt: "p", tools: [add], requireApproval: ["add"] }).stream("x");
    const types: string[] = [];
    for await (const e of stream) types.push(e.type);
    expect(types.at(-1)).toBe("run_paused");
    expect(stream.result?.status).toBe("waiting_approval");
  });
});

describeEachBackend("stream() with outputType", (backend) => {
  const Sentiment = z.object({ label: z.enum(["positive", "negative"]), score: z.number(), note: z.string().optional() }).describe("Sentiment");

  it("yields partial objects, ends with the validated value, and persists the run like run() does", async () => {
    const { RunStore } = await import("../../src/store/index.js");
    const database = await backend.create();
    try {
      const llm = new MockLLM(['{"label": "positive", "score": 0.9}'], { chunkSize: 12 });
      const agent = new Agent({ name: "Classifier", provider: llm, prompt: "Classify.", loop: new SingleCall(), outputType: Sentiment, databaseUrl: database.url });
      const stream = agent.stream("I love it");
      const events: RunEvent[] = [];
      for await (const e of stream) events.push(e);
      await agent.close();
      expect(events.map((e) => (e.type === "partial_output" ? e.output : e.type))).toEqual([
        "run_started",
        { label: "p" },
        { label: "positive" },
        { label: "positive", score: 0.9 },
        "run_completed",
      ]);
      expect(stream.result).toMatchObject({ status: "success", output: { label: "positive", score: 0.9 }, answer: '{"label": "positive", "score": 0.9}' });
      expect(llm.calls[0]!.outputSchema).toMatchObject({ description: "Sentiment", type: "object" });
      const store = RunStore.fromDatabaseUrl(database.url);
      const run = await store.getRun(stream.runId);
      expect(run).toMatchObject({ status: "success", answer: '{"label": "positive", "score": 0.9}' });
      await store.close();
    } finally {
      await database.cleanup();
    }
  });

  it("an answer that fails validation ends the stream with run_error and an errored run", async () => {
    const { RunStore } = await import("../../src/store/index.js");
    const database = await backend.create();
    try {
      const agent = new Agent({ provider: new MockLLM(['{"label": "meh", "score": 1}']), prompt: "p", loop: new SingleCall(), outputType: Sentiment, databaseUrl: database.url });
      const stream = agent.stream("x");
      const events: RunEvent[] = [];
      for await (const e of stream) events.push(e);
      await agent.close();
      expect(events.filter((e) => e.type === "partial_output").at(-1)).toMatchObject({ output: { label: "meh", score: 1 } });
      const last = events.at(-1)!;
      expect(last.type).toBe("run_error");
      expect(last.type === "run_error" && last.error).toMatch(/Sentiment/);
      const store = RunStore.fromDatabaseUrl(database.url);
      expect(await store.getRun(stream.runId)).toMatchObject({ status: "error" });
      await store.close();
    } finally {
      await database.cleanup();
    }
  });
});

describe("stream() with outputType, stopped early", () => {
  it("closes the provider's stream when the consumer breaks after the first partial object", async () => {
    let closed = false;
    const provider = {
      model: "m",
      capabilities: { supportsStructuredOutput: true, supportsStreaming: true },
      complete: () => Promise.reject(new Error("not used")),
      async *stream() {
        try {
          yield { type: "text_delta" as const, text: '{"label": "po' };
          yield { type: "text_delta" as const, text: 'sitive", "score": 1}' };
          yield { type: "done" as const, response: { text: '{"label": "positive", "score": 1}', toolCalls: null, usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2, costUsd: null, cacheReadInputTokens: null, cacheCreationInputTokens: null, reasoningTokens: null } } };
        } finally {
          closed = true;
        }
      },
    };
    const finished: string[] = [];
    const agent = new Agent({ provider, prompt: "p", loop: new SingleCall(), outputType: z.object({ label: z.string(), score: z.number() }) });
    const stream = agent.stream("x", { notifier: { onRunFinished: (_id, r) => void finished.push(r.status) } });
    const seen: RunEvent[] = [];
    for await (const e of stream) {
      seen.push(e);
      if (e.type === "partial_output") break;
    }
    expect(seen.map((e) => e.type)).toEqual(["run_started", "partial_output"]);
    expect(closed).toBe(true);
    expect(finished).toEqual(["cancelled"]);
  });
});
