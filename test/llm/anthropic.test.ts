import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { Agent, SingleCall } from "../../src/index.js";
import type { Notifier, RunEvent } from "../../src/index.js";
import { AnthropicProvider } from "../../src/llm/anthropic/index.js";
import { FakeVendor, type FakeReply } from "../support/fake-vendor.js";
import { describeEachBackend } from "../support/backends.js";
import { add } from "../support/tools.js";

const message = (content: unknown[], usage: Record<string, unknown> = { input_tokens: 10, output_tokens: 5 }, stop = "end_turn") => ({
  json: { id: "msg_1", type: "message", role: "assistant", model: "claude-test", content, stop_reason: stop, stop_sequence: null, usage },
});

let vendor: FakeVendor;
afterEach(async () => {
  await vendor?.stop();
});

async function start(replies: FakeReply[]) {
  vendor = await new FakeVendor(replies).start();
  return vendor;
}

const provider = (extra: Partial<ConstructorParameters<typeof AnthropicProvider>[0]> = {}) =>
  new AnthropicProvider({ model: "claude-test", apiKey: "sk-ant-test", baseURL: vendor.url, maxRetries: 3, ...extra });

describe("AnthropicProvider over the official SDK", () => {
  it("runs a tool loop: cache markers, tool_use / tool_result round trip, usage", async () => {
    await start([
      message([{ type: "text", text: "Let me add." }, { type: "tool_use", id: "toolu_1", name: "add", input: { a: 1, b: 2 } }], { input_tokens: 50, output_tokens: 20, cache_read_input_tokens: 0, cache_creation_input_tokens: 1200 }, "tool_use"),
      message([{ type: "text", text: "1 + 2 = 3" }], { input_tokens: 60, output_tokens: 8, cache_read_input_tokens: 1200, cache_creation_input_tokens: 0 }),
    ]);
    const agent = new Agent({ name: "Calc", provider: provider({ cacheTtl: "1h", temperature: 0.2 }), prompt: "You are a calculator.", tools: [add] });
    const result = await agent.run("add 1+2");
    expect(result).toMatchObject({ status: "success", answer: "1 + 2 = 3", iterationCount: 2 });
    expect(result.usage).toEqual({ inputTokens: 110, outputTokens: 28, totalTokens: 138, costUsd: null, cacheReadInputTokens: 1200, cacheCreationInputTokens: 1200, reasoningTokens: null });

    const [first, second] = vendor.requests;
    expect(first!.path).toBe("/v1/messages");
    // The SDK authenticates with the key (as x-api-key or a bearer token, depending on its version).
    expect([first!.headers["x-api-key"], first!.headers.authorization]).toContain(first!.headers["x-api-key"] ? "sk-ant-test" : "Bearer sk-ant-test");
    expect(first!.headers["anthropic-version"]).toBeDefined();
    const marker = { type: "ephemeral", ttl: "1h" };
    expect(first!.body).toEqual({
      model: "claude-test",
      max_tokens: 16000,
      system: [{ type: "text", text: "You are a calculator.", cache_control: marker }],
      messages: [{ role: "user", content: [{ type: "text", text: "add 1+2", cache_control: marker }] }],
      tools: [{ name: "add", description: "Add two numbers.", input_schema: add.jsonSchema }],
      temperature: 0.2,
    });
    expect(second!.body.messages).toEqual([
      { role: "user", content: "add 1+2" },
      { role: "assistant", content: [{ type: "text", text: "Let me add." }, { type: "tool_use", id: "toolu_1", name: "add", input: { a: 1, b: 2 } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "3", cache_control: marker }] },
    ]);
  });

  it("marks the first message for a stable context head and flags failed tool results", async () => {
    await start([
      message([{ type: "tool_use", id: "toolu_1", name: "add", input: { a: "x" } }, { type: "tool_use", id: "toolu_2", name: "add", input: { a: 1, b: 1 } }], undefined, "tool_use"),
      message([{ type: "text", text: "ok" }]),
    ]);
    const { ContextBlock } = await import("../../src/index.js");
    await new Agent({ provider: provider(), prompt: "p", tools: [add] }).run("q", { context: [new ContextBlock("S", { placement: "stable" })] });
    const messages = vendor.requests[1]!.body.messages as { content: { cache_control?: unknown; is_error?: boolean }[] }[];
    expect(messages[0]!.content[0]!.cache_control).toEqual({ type: "ephemeral" });
    expect(messages[2]!.content.map((b) => b.is_error)).toEqual([true, undefined]);
    expect(messages[2]!.content).toHaveLength(2);
  });

  it("streams text and tool calls assembled from partial JSON", async () => {
    const sse = (events: Record<string, unknown>[]): FakeReply => ({ sse: events.map((e) => [String(e.type), e] as const) });
    const start_ = { type: "message_start", message: { id: "m", type: "message", role: "assistant", model: "claude-test", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } };
    await start([
      sse([
        start_,
        { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
        { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Adding" } },
        { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " now." } },
        { type: "content_block_stop", index: 0 },
        { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_1", name: "add", input: {} } },
        { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"a": 1, ' } },
        { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '"b": 2}' } },
        { type: "content_block_stop", index: 1 },
        { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 20, output_tokens_details: { thinking_tokens: 7 } } },
        { type: "message_stop" },
      ]),
      sse([
        start_,
        { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
        { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "3" } },
        { type: "content_block_stop", index: 0 },
        { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 2 } },
        { type: "message_stop" },
      ]),
    ]);
    const events: RunEvent[] = [];
    for await (const e of new Agent({ provider: provider(), prompt: "p", tools: [add] }).stream("1+2")) events.push(e);
    expect(events.map((e) => e.type)).toEqual(["run_started", "text_delta", "text_delta", "tool_use_start", "tool_use_end", "tool_result", "text_delta", "run_completed"]);
    const end = events.find((e) => e.type === "tool_use_end")!;
    expect(end.type === "tool_use_end" && end.toolCall).toMatchObject({ name: "add", params: { a: 1, b: 2 }, providerToolCallId: "toolu_1" });
    const done = events.at(-1)!;
    expect(done.type === "run_completed" && done.result.usage).toMatchObject({ inputTokens: 24, outputTokens: 22, reasoningTokens: 7 });
    expect(vendor.requests[0]!.body.stream).toBe(true);
  });

  it("thinking: adaptive with effort, no temperature, reasoning surfaced", async () => {
    await start([message([{ type: "thinking", thinking: "Let me think...", signature: "sig" }, { type: "text", text: "21" }], { input_tokens: 10, output_tokens: 50, cache_read_input_tokens: 300, cache_creation_input_tokens: 0, output_tokens_details: { thinking_tokens: 40 } })]);
    const p = provider({ thinking: true, effort: "extra", temperature: 0.9 });
    const response = await p.complete({ messages: [{ role: "system", content: "s" }, { role: "user", content: "q" }], tools: null, options: { temperature: 0.5 } });
    expect(response).toMatchObject({ text: "21", reasoning: "Let me think...", usage: { inputTokens: 10, outputTokens: 50, totalTokens: 60, cacheReadInputTokens: 300, cacheCreationInputTokens: 0, reasoningTokens: 40 } });
    const body = vendor.requests[0]!.body;
    expect(body.thinking).toEqual({ type: "adaptive", display: "summarized" });
    expect(body.output_config).toEqual({ effort: "xhigh" });
    expect(body).not.toHaveProperty("temperature");
    await start([message([{ type: "text", text: "x" }])]);
    await provider({ thinking: true, thinkingBudget: 2048, showThinking: false }).complete({ messages: [{ role: "user", content: "q" }], tools: null, options: {} });
    expect(vendor.requests[0]!.body.thinking).toEqual({ type: "enabled", budget_tokens: 2048, display: "omitted" });
  });

  it("thinking drops temperature and top_k with one warning per provider", async () => {
    const { logger } = await import("../../src/util/logger.js");
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => undefined);
    try {
      await start([message([{ type: "text", text: "a" }]), message([{ type: "text", text: "b" }])]);
      const p = provider({ thinking: true, temperature: 0.4 });
      await p.complete({ messages: [{ role: "user", content: "q" }], tools: null, options: { topK: 3, topP: 0.95 } });
      await p.complete({ messages: [{ role: "user", content: "q" }], tools: null, options: {} });
      for (const request of vendor.requests) {
        expect(request.body).not.toHaveProperty("temperature");
        expect(request.body).not.toHaveProperty("top_k");
      }
      expect(vendor.requests[0]!.body.top_p).toBe(0.95);
      expect(warn.mock.calls.map(([m]) => m)).toEqual(["AnthropicProvider: temperature and top_k are not sent while thinking is on (extended thinking rejects them)."]);
    } finally {
      warn.mockRestore();
    }
  });

  it("thinking with tools: the next request carries the thinking blocks exactly as received", async () => {
    const thinking = { type: "thinking", thinking: "The user wants a sum; call add.", signature: "EqQBCkgIARABGAIiQL+sig/==" };
    const redacted = { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP" };
    await start([
      message([thinking, redacted, { type: "text", text: "Adding." }, { type: "tool_use", id: "toolu_1", name: "add", input: { a: 1, b: 2 } }], undefined, "tool_use"),
      message([{ type: "thinking", thinking: "Done.", signature: "sig-2" }, { type: "text", text: "3" }]),
    ]);
    const agent = new Agent({ provider: provider({ thinking: true }), prompt: "p", tools: [add] });
    const result = await agent.run("1+2");
    expect(result).toMatchObject({ status: "success", answer: "3" });
    expect(vendor.requests[1]!.body.messages).toEqual([
      { role: "user", content: "1+2" },
      { role: "assistant", content: [thinking, redacted, { type: "text", text: "Adding." }, { type: "tool_use", id: "toolu_1", name: "add", input: { a: 1, b: 2 } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "3", cache_control: { type: "ephemeral" } }] },
    ]);
  });

  it("thinking with tools under a redacting guardrail: content is redacted, thinking blocks are not touched", async () => {
    const { PII } = await import("../../src/guardrails/index.js");
    const thinking = { type: "thinking", thinking: "Mail ann@example.com the sum.", signature: "c2lnbmVkIGJ5IGFubkBleGFtcGxlLmNvbQ==" };
    await start([
      message([thinking, { type: "text", text: "Adding for ann@example.com." }, { type: "tool_use", id: "toolu_1", name: "add", input: { a: 1, b: 2 } }], undefined, "tool_use"),
      message([{ type: "text", text: "3" }]),
    ]);
    const agent = new Agent({ provider: provider({ thinking: true }), prompt: "p", tools: [add], guardrails: [new PII()] });
    await agent.run("1+2, then mail ann@example.com");
    const [user, assistant] = vendor.requests[1]!.body.messages as { content: unknown }[];
    expect(JSON.stringify(user!.content)).not.toContain("ann@example.com");
    expect(assistant!.content).toEqual([thinking, { type: "text", text: "Adding for <<EMAIL_ADDRESS_1>>." }, { type: "tool_use", id: "toolu_1", name: "add", input: { a: 1, b: 2 } }]);
  });

  it("thinking with tools, streamed: signatures assembled from signature_delta go back unchanged", async () => {
    const sse = (events: Record<string, unknown>[]): FakeReply => ({ sse: events.map((e) => [String(e.type), e] as const) });
    const head = { type: "message_start", message: { id: "m", type: "message", role: "assistant", model: "claude-test", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } };
    await start([
      sse([
        head,
        { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } },
        { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Need " } },
        { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "add." } },
        { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "EqQBCkgIARAB/sig==" } },
        { type: "content_block_stop", index: 0 },
        { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_1", name: "add", input: {} } },
        { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"a": 1, "b": 2}' } },
        { type: "content_block_stop", index: 1 },
        { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 9 } },
        { type: "message_stop" },
      ]),
      sse([
        head,
        { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
        { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "3" } },
        { type: "content_block_stop", index: 0 },
        { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 1 } },
        { type: "message_stop" },
      ]),
    ]);
    const events: RunEvent[] = [];
    for await (const e of new Agent({ provider: provider({ thinking: true }), prompt: "p", tools: [add] }).stream("1+2")) events.push(e);
    expect(events.at(-1)).toMatchObject({ type: "run_completed", result: { answer: "3" } });
    const assistant = (vendor.requests[1]!.body.messages as { content: unknown }[])[1]!;
    expect(assistant.content).toEqual([
      { type: "thinking", thinking: "Need add.", signature: "EqQBCkgIARAB/sig==" },
      { type: "tool_use", id: "toolu_1", name: "add", input: { a: 1, b: 2 } },
    ]);
  });

  it("retries 429 and 529 honouring retry headers and reports provider.retry", async () => {
    const throttle = (status: number): FakeReply => ({ status, headers: { "retry-after": "1", "retry-after-ms": "5" }, json: { type: "error", error: { type: "overloaded_error", message: "busy" } } });
    await start([throttle(429), throttle(529), message([{ type: "text", text: "finally" }])]);
    const retries: unknown[] = [];
    const notifier: Notifier = { onGovernanceEvent: (_id, type, iteration, data) => void (type === "provider.retry" && retries.push({ iteration, ...data })) };
    const result = await new Agent({ provider: provider(), prompt: "p" }).run("x", { notifier });
    expect(result.answer).toBe("finally");
    expect(vendor.requests).toHaveLength(3);
    expect(retries).toEqual([
      { iteration: 1, status_code: 429, endpoint: "/v1/messages", attempt: 1, retry_after: "1" },
      { iteration: 1, status_code: 529, endpoint: "/v1/messages", attempt: 2, retry_after: "1" },
    ]);
  });

  describeEachBackend("provider.retry in the audit trail", (backend) => {
    it("is recorded in the run's event log before the LLM call completes", async () => {
      const { RunStore } = await import("../../src/store/index.js");
      const database = await backend.create();
      try {
        await start([{ status: 503, headers: { "retry-after-ms": "5" }, json: { type: "error", error: { type: "api_error", message: "down" } } }, message([{ type: "text", text: "up" }])]);
        const agent = new Agent({ provider: provider(), prompt: "p", databaseUrl: database.url });
        const result = await agent.run("x");
        await agent.close();
        const store = RunStore.fromDatabaseUrl(database.url);
        const events = await store.getEvents(result.runId);
        expect(events.map((e) => e.eventType)).toEqual(["run.started", "provider.retry", "llm.completed", "run.completed"]);
        expect(events[1]).toMatchObject({ iterationIndex: 1, correlationId: null, data: { status_code: 503, endpoint: "/v1/messages", attempt: 1, retry_after: null } });
        await store.close();
      } finally {
        await database.cleanup();
      }
    });
  });

  it("surfaces a non-retryable 400 without retrying", async () => {
    await start([{ status: 400, json: { type: "error", error: { type: "invalid_request_error", message: "max_tokens: too large" } } }]);
    await expect(new Agent({ provider: provider(), prompt: "p" }).run("x")).rejects.toThrow(/max_tokens: too large/);
    expect(vendor.requests).toHaveLength(1);
  });

  it("structured output through a forced tool", async () => {
    await start([message([{ type: "tool_use", id: "toolu_9", name: "structured_output", input: { label: "positive", score: 0.9 } }])]);
    const agent = new Agent({ provider: provider(), prompt: "p", loop: new SingleCall(), outputType: z.object({ label: z.string(), score: z.number() }) });
    const result = await agent.run("I love it");
    expect(result.output).toEqual({ label: "positive", score: 0.9 });
    expect(vendor.requests[0]!.body.tool_choice).toEqual({ type: "tool", name: "structured_output" });
  });

  it("streams structured output: partial objects as the forced tool's JSON arrives, then the validated value", async () => {
    const head = { type: "message_start", message: { id: "m", type: "message", role: "assistant", model: "claude-test", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } };
    const json = ['{"label": "pos', 'itive", "sco', 're": 0.9, "tags": ["a"', ', "b"]}'];
    await start([
      {
        sse: [
          head,
          { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_9", name: "structured_output", input: {} } },
          ...json.map((partial_json) => ({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json } })),
          { type: "content_block_stop", index: 0 },
          { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 20 } },
          { type: "message_stop" },
        ].map((e) => [String(e.type), e] as const),
      },
    ]);
    const outputType = z.object({ label: z.string(), score: z.number(), tags: z.array(z.string()) });
    const events: RunEvent[] = [];
    for await (const e of new Agent({ provider: provider(), prompt: "p", loop: new SingleCall(), outputType }).stream("I love it")) events.push(e);
    expect(events.map((e) => e.type)).toEqual(["run_started", "partial_output", "partial_output", "partial_output", "partial_output", "run_completed"]);
    expect(events.filter((e) => e.type === "partial_output").map((e) => e.type === "partial_output" && e.output)).toEqual([
      { label: "pos" },
      { label: "positive" },
      { label: "positive", score: 0.9, tags: ["a"] },
      { label: "positive", score: 0.9, tags: ["a", "b"] },
    ]);
    expect(events.at(-1)).toMatchObject({ type: "run_completed", result: { status: "success", output: { label: "positive", score: 0.9, tags: ["a", "b"] } } });
    expect(vendor.requests[0]!.body).toMatchObject({ stream: true, tool_choice: { type: "tool", name: "structured_output" } });
  });

  it("forwards known per-call overrides and drops unknown ones", async () => {
    await start([message([{ type: "text", text: "ok" }])]);
    await new Agent({ provider: provider(), prompt: "p" }).run("x", { model: "claude-other", maxTokens: 64, temperature: 0, topK: 5, frobnicate: true } as never);
    const body = vendor.requests[0]!.body;
    expect(body).toMatchObject({ model: "claude-other", max_tokens: 64, temperature: 0, top_k: 5 });
    expect(JSON.stringify(body)).not.toContain("frobnicate");
  });

  it("turns a timeout into a readable error", async () => {
    const { createServer } = await import("node:http");
    const silent = createServer(() => undefined).listen(0, "127.0.0.1");
    await new Promise((r) => silent.once("listening", r));
    const port = (silent.address() as { port: number }).port;
    vendor = await new FakeVendor([]).start();
    const slow = new AnthropicProvider({ model: "claude-test", apiKey: "k", baseURL: `http://127.0.0.1:${port}`, timeoutMs: 200, maxRetries: 0 });
    await expect(new Agent({ provider: slow, prompt: "p" }).run("x")).rejects.toThrow(
      "LLM request timed out after 0.2s. The model may need more time for large outputs.",
    );
    silent.closeAllConnections();
    silent.close();
  });

  it("fails at construction without a key, naming the variable", () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      expect(() => new AnthropicProvider({ model: "m" })).toThrow("ANTHROPIC_API_KEY");
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });
});
