import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { Agent, SingleCall } from "../../src/index.js";
import type { Notifier, RunEvent } from "../../src/index.js";
import { OpenAIProvider } from "../../src/llm/openai/index.js";
import { FakeVendor, type FakeReply } from "../support/fake-vendor.js";
import { describeEachBackend } from "../support/backends.js";
import { add } from "../support/tools.js";

const completion = (message: Record<string, unknown>, usage: Record<string, unknown> = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }): FakeReply => ({
  json: { id: "chatcmpl-1", object: "chat.completion", created: 1, model: "gpt-test", choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: "stop" }], usage },
});

let vendor: FakeVendor;
const realFetch = globalThis.fetch;
afterEach(async () => {
  globalThis.fetch = realFetch;
  await vendor?.stop();
});

const start = async (replies: FakeReply[]) => (vendor = await new FakeVendor(replies).start());
const compatible = (extra: Partial<ConstructorParameters<typeof OpenAIProvider>[0]> = {}) =>
  new OpenAIProvider({ model: "gpt-test", apiKey: "sk-test", baseURL: `${vendor.url}/v1`, ...extra });

/** The official endpoint, with the SDK's requests rerouted to the fake server at the network layer. */
function official(extra: Partial<ConstructorParameters<typeof OpenAIProvider>[0]> = {}) {
  globalThis.fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    return realFetch(url.replace("https://api.openai.com", vendor.url), init);
  };
  return new OpenAIProvider({ model: "gpt-4o", apiKey: "sk-test", baseURL: "https://api.openai.com/v1/", ...extra });
}

describe("OpenAIProvider over the official SDK", () => {
  it("official endpoint: max_completion_tokens, prompt_cache_key, tool round trip, cached-token accounting", async () => {
    await start([
      completion({ content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "add", arguments: '{"a": 1, "b": 2}' } }] }, {
        prompt_tokens: 1500, completion_tokens: 50, total_tokens: 1550, prompt_tokens_details: { cached_tokens: 1000 }, completion_tokens_details: { reasoning_tokens: 20 },
      }),
      completion({ content: "3" }),
    ]);
    const provider = official({ effort: "extra" });
    expect(provider.isOfficialEndpoint).toBe(true);
    const agent = new Agent({ provider, prompt: "You are a calculator.", tools: [add] });
    const result = await agent.run("add 1+2");
    expect(result).toMatchObject({ status: "success", answer: "3" });
    expect(result.usage).toMatchObject({ inputTokens: 510, outputTokens: 55, totalTokens: 565, cacheReadInputTokens: 1000, cacheCreationInputTokens: null, reasoningTokens: 20 });
    const [first, second] = vendor.requests;
    expect(first!.path).toBe("/v1/chat/completions");
    expect(first!.headers.authorization).toBe("Bearer sk-test");
    expect(first!.body).toEqual({
      model: "gpt-4o",
      messages: [{ role: "system", content: "You are a calculator." }, { role: "user", content: "add 1+2" }],
      tools: [{ type: "function", function: { name: "add", description: "Add two numbers.", parameters: add.jsonSchema } }],
      max_completion_tokens: 16000,
      reasoning_effort: "xhigh",
      prompt_cache_key: "dendrux:Agent:gpt-4o",
    });
    expect((second!.body.messages as unknown[]).slice(2)).toEqual([
      { role: "assistant", tool_calls: [{ id: "call_1", type: "function", function: { name: "add", arguments: '{"a": 1, "b": 2}' } }] },
      { role: "tool", tool_call_id: "call_1", content: "3" },
    ]);
  });

  it("a compatible server (vLLM, Ollama…): max_tokens and no OpenAI-only fields", async () => {
    await start([completion({ content: "hi" })]);
    const provider = compatible({ temperature: 0.3 });
    expect(provider.isOfficialEndpoint).toBe(false);
    await new Agent({ provider, prompt: "p" }).run("x", { maxTokens: 99, model: "llama3" });
    expect(vendor.requests[0]!.body).toEqual({ model: "llama3", messages: [{ role: "system", content: "p" }, { role: "user", content: "x" }], max_tokens: 99, temperature: 0.3 });
  });

  it("streams text and tool calls assembled by index", async () => {
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => [null, { id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-test", choices: [{ index: 0, delta, finish_reason: finish }] }] as const;
    await start([
      {
        sse: [
          chunk({ role: "assistant", content: "Adding" }),
          chunk({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "add", arguments: "" } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a": 1,' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: ' "b": 2}' } }] }),
          chunk({}, "tool_calls"),
          [null, { id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-test", choices: [], usage: { prompt_tokens: 50, completion_tokens: 30, total_tokens: 80 } }],
          [null, "[DONE]"],
        ],
      },
      { sse: [chunk({ content: "3" }), chunk({}, "stop"), [null, "[DONE]"]] },
    ]);
    const events: RunEvent[] = [];
    for await (const e of new Agent({ provider: compatible(), prompt: "p", tools: [add] }).stream("1+2")) events.push(e);
    expect(events.map((e) => e.type)).toEqual(["run_started", "text_delta", "tool_use_start", "tool_use_end", "tool_result", "text_delta", "run_completed"]);
    const end = events.find((e) => e.type === "tool_use_end")!;
    expect(end.type === "tool_use_end" && end.toolCall).toMatchObject({ name: "add", params: { a: 1, b: 2 }, providerToolCallId: "call_1" });
    expect(vendor.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const done = events.at(-1)!;
    expect(done.type === "run_completed" && done.result.usage.inputTokens).toBe(50);
  });

  it("retries 429 / 503 with retry-after and reports provider.retry", async () => {
    const busy = (status: number): FakeReply => ({ status, headers: { "retry-after": "2", "retry-after-ms": "5" }, json: { error: { message: "slow down" } } });
    await start([busy(429), busy(503), completion({ content: "ok" })]);
    const seen: unknown[] = [];
    const notifier: Notifier = { onGovernanceEvent: (_r, type, _i, data) => void (type === "provider.retry" && seen.push(data)) };
    const result = await new Agent({ provider: compatible(), prompt: "p" }).run("x", { notifier });
    expect(result.answer).toBe("ok");
    expect(seen).toEqual([
      { status_code: 429, endpoint: "/v1/chat/completions", attempt: 1, retry_after: "2" },
      { status_code: 503, endpoint: "/v1/chat/completions", attempt: 2, retry_after: "2" },
    ]);
  });

  it("surfaces a 400 at once; a 400 opening a stream says streaming was rejected", async () => {
    await start([{ status: 400, json: { error: { message: "bad tool schema" } } }, { status: 400, json: { error: { message: "stream not supported" } } }]);
    await expect(new Agent({ provider: compatible(), prompt: "p" }).run("x")).rejects.toThrow(/bad tool schema/);
    const events: RunEvent[] = [];
    for await (const e of new Agent({ provider: compatible(), prompt: "p" }).stream("x")) events.push(e);
    const last = events.at(-1)!;
    expect(last.type === "run_error" && last.error).toMatch(/Streaming request rejected by endpoint at .*stream not supported/);
    expect(vendor.requests).toHaveLength(2);
  });

  it("structured output with a strict json_schema", async () => {
    await start([completion({ content: '{"label": "positive", "score": 0.9}' })]);
    const schema = z.object({ label: z.string(), score: z.number().optional() });
    const result = await new Agent({ provider: compatible(), prompt: "p", loop: new SingleCall(), outputType: schema }).run("I love it");
    expect(result.output).toEqual({ label: "positive", score: 0.9 });
    const format = vendor.requests[0]!.body.response_format as { json_schema: { name: string; strict: boolean; schema: { additionalProperties: boolean; required: string[] } } };
    expect(format.json_schema).toMatchObject({ name: "structured_output", strict: true, schema: { additionalProperties: false } });
    expect(format.json_schema.schema.required.sort()).toEqual(["label", "score"]);
  });

  it("needs a key, naming the variable and the placeholder for local servers", () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      expect(() => new OpenAIProvider({ model: "m" })).toThrow(/OPENAI_API_KEY.*not-needed/s);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });
});

describe("OpenAIProvider with reasoning configured", () => {
  it("sends no temperature or top_p (reasoning models reject them) and warns once", async () => {
    const { logger } = await import("../../src/util/logger.js");
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => undefined);
    try {
      await start([
        completion({ content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "add", arguments: '{"a": 1, "b": 2}' } }] }),
        completion({ content: "3" }),
      ]);
      const agent = new Agent({ provider: compatible({ temperature: 0.3, effort: "low" }), prompt: "p", tools: [add] });
      await agent.run("add 1+2", { topP: 0.5 });
      for (const request of vendor.requests) {
        expect(request.body).toMatchObject({ reasoning_effort: "low" });
        expect(request.body).not.toHaveProperty("temperature");
        expect(request.body).not.toHaveProperty("top_p");
      }
      expect(vendor.requests).toHaveLength(2);
      const warnings = warn.mock.calls.map(([m]) => m).filter((m) => m.includes("temperature"));
      expect(warnings).toEqual(["OpenAIProvider: temperature and top_p are not sent while reasoning effort is set (reasoning models reject them)."]);
    } finally {
      warn.mockRestore();
    }
  });

  it("a per-call reasoningEffort drops a per-call temperature too; without reasoning both are sent", async () => {
    await start([completion({ content: "a" }), completion({ content: "b" })]);
    const provider = compatible();
    await new Agent({ provider, prompt: "p" }).run("x", { reasoningEffort: "high", temperature: 0.7 });
    await new Agent({ provider, prompt: "p" }).run("x", { temperature: 0.7, topP: 0.9 });
    expect(vendor.requests[0]!.body).toMatchObject({ reasoning_effort: "high" });
    expect(vendor.requests[0]!.body).not.toHaveProperty("temperature");
    expect(vendor.requests[1]!.body).toMatchObject({ temperature: 0.7, top_p: 0.9 });
  });
});

describe("structured output under strict mode", () => {
  const Review = z
    .object({
      title: z.string(),
      rating: z.number().optional(),
      note: z.string().nullable(),
      author: z.object({ name: z.string(), email: z.string().optional() }).optional(),
    })
    .meta({ title: "Review" });

  it("optional fields go out required and nullable; the model's nulls come back as absent fields", async () => {
    await start([completion({ content: '{"title": "Dune", "rating": null, "note": null, "author": {"name": "Ann", "email": null}}' })]);
    const result = await new Agent({ provider: compatible(), prompt: "p", loop: new SingleCall(), outputType: Review }).run("review Dune");
    expect(result.output).toEqual({ title: "Dune", note: null, author: { name: "Ann" } });
    const format = vendor.requests[0]!.body.response_format as { json_schema: { name: string; strict: boolean; schema: Record<string, unknown> } };
    expect(format.json_schema.name).toBe("Review");
    expect(format.json_schema.schema).toEqual({
      title: "Review",
      type: "object",
      properties: {
        title: { type: "string" },
        rating: { type: ["number", "null"] },
        note: { type: ["string", "null"] },
        author: { type: ["object", "null"], properties: { name: { type: "string" }, email: { type: ["string", "null"] } }, required: ["name", "email"], additionalProperties: false },
      },
      required: ["title", "note", "rating", "author"],
      additionalProperties: false,
    });
  });

  it("streams partial objects (nulls of optional fields read as absent) and ends with the validated value", async () => {
    const chunk = (content: string) => [null, { id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-test", choices: [{ index: 0, delta: { content }, finish_reason: null }] }] as const;
    await start([
      {
        sse: [
          chunk('{"title": "Du'),
          chunk('ne", "rating": nu'),
          chunk('ll, "note": null, "author": {"name": "Ann", "email": null}}'),
          [null, { id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-test", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }],
          [null, "[DONE]"],
        ],
      },
    ]);
    const events: RunEvent[] = [];
    for await (const e of new Agent({ provider: compatible(), prompt: "p", loop: new SingleCall(), outputType: Review }).stream("review Dune")) events.push(e);
    expect(events.filter((e) => e.type === "partial_output").map((e) => e.type === "partial_output" && e.output)).toEqual([
      { title: "Du" },
      { title: "Dune" },
      { title: "Dune", note: null, author: { name: "Ann" } },
    ]);
    expect(events.some((e) => e.type === "text_delta")).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: "run_completed", result: { output: { title: "Dune", note: null, author: { name: "Ann" } } } });
    expect(vendor.requests[0]!.body).toMatchObject({ stream: true, response_format: { type: "json_schema", json_schema: { name: "Review", strict: true } } });
  });

  describeEachBackend("a schema strict mode cannot express", (backend) => {
    it("is refused before the run exists, naming the field", async () => {
      const { RunStore } = await import("../../src/store/index.js");
      const { ValidationError } = await import("../../src/index.js");
      const database = await backend.create();
      try {
        await start([completion({ content: "fine" })]);
        const agent = new Agent({ provider: compatible(), prompt: "p", loop: new SingleCall(), databaseUrl: database.url });
        await agent.run("a plain run first");
        const outputType = z.object({ scores: z.record(z.string(), z.number()) });
        const error = await agent.run("x", { outputType }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect(error).toMatchObject({ field: "outputType", message: expect.stringContaining('field "scores" allows keys beyond its declared properties') });
        await agent.close();
        expect(vendor.requests).toHaveLength(1);
        const store = RunStore.fromDatabaseUrl(database.url);
        expect(await store.countRuns()).toBe(1);
        await store.close();
      } finally {
        await database.cleanup();
      }
    });
  });
});
