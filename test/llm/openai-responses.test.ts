import { afterEach, describe, expect, it, vi } from "vitest";
import { Agent } from "../../src/index.js";
import type { RunEvent } from "../../src/index.js";
import { OpenAIResponsesProvider } from "../../src/llm/openai-responses/index.js";
import { FakeVendor, type FakeReply } from "../support/fake-vendor.js";
import { add } from "../support/tools.js";

const response = (output: unknown[], usage: Record<string, unknown> = { input_tokens: 10, output_tokens: 5, total_tokens: 15 }): FakeReply => ({
  json: { id: "resp_1", object: "response", created_at: 1, status: "completed", model: "gpt-5", output, usage },
});

let vendor: FakeVendor;
afterEach(async () => vendor?.stop());
const start = async (replies: FakeReply[]) => (vendor = await new FakeVendor(replies).start());
const provider = (extra: Partial<ConstructorParameters<typeof OpenAIResponsesProvider>[0]> = {}) =>
  new OpenAIResponsesProvider({ model: "gpt-5", apiKey: "sk-test", baseURL: `${vendor.url}/v1`, ...extra });

describe("OpenAIResponsesProvider over the official SDK", () => {
  it("function tools, built-in web search, reasoning summaries, usage", async () => {
    await start([
      response(
        [
          { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "Adding." }] },
          { type: "function_call", id: "fc_1", call_id: "call_1", name: "add", arguments: '{"a":1,"b":2}', status: "completed" },
        ],
        { input_tokens: 120, input_tokens_details: { cached_tokens: 100 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 12 }, total_tokens: 150 },
      ),
      response([{ type: "message", id: "msg_1", role: "assistant", status: "completed", content: [{ type: "output_text", text: "3", annotations: [] }] }]),
    ]);
    const agent = new Agent({ provider: provider({ builtinTools: ["web_search_preview"], thinking: true, effort: "high" }), prompt: "You are a calculator.", tools: [add] });
    const result = await agent.run("add 1+2");
    expect(result).toMatchObject({ status: "success", answer: "3" });
    expect(result.usage).toMatchObject({ inputTokens: 30, outputTokens: 35, cacheReadInputTokens: 100, reasoningTokens: 12 });
    const [first, second] = vendor.requests;
    expect(first!.path).toBe("/v1/responses");
    expect(first!.body).toEqual({
      model: "gpt-5",
      input: [{ role: "user", content: "add 1+2" }],
      max_output_tokens: 16000,
      instructions: "You are a calculator.",
      tools: [{ type: "web_search_preview" }, { type: "function", name: "add", description: "Add two numbers.", parameters: add.jsonSchema }],
      reasoning: { effort: "high", summary: "auto" },
      prompt_cache_key: "dendrux:Agent:gpt-5",
    });
    expect((second!.body.input as unknown[]).slice(1)).toEqual([
      { type: "function_call", call_id: "call_1", name: "add", arguments: '{"a": 1, "b": 2}' },
      { type: "function_call_output", call_id: "call_1", output: "3" },
    ]);
  });

  it("streams text, reasoning and tool calls", async () => {
    const ev = (e: Record<string, unknown>) => [String(e.type), e] as const;
    const completed = { id: "resp_1", object: "response", created_at: 1, status: "completed", model: "gpt-5", output: [], usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10 } };
    await start([
      {
        sse: [
          ev({ type: "response.created", sequence_number: 0, response: { ...completed, status: "in_progress", usage: null } }),
          ev({ type: "response.reasoning_summary_text.delta", sequence_number: 1, item_id: "rs_1", output_index: 0, summary_index: 0, delta: "Think." }),
          ev({ type: "response.output_item.added", sequence_number: 2, output_index: 1, item: { type: "function_call", id: "fc_1", call_id: "call_1", name: "add", arguments: "", status: "in_progress" } }),
          ev({ type: "response.function_call_arguments.delta", sequence_number: 3, item_id: "fc_1", output_index: 1, delta: '{"a":1,' }),
          ev({ type: "response.function_call_arguments.done", sequence_number: 4, item_id: "fc_1", output_index: 1, arguments: '{"a":1,"b":2}' }),
          ev({ type: "response.completed", sequence_number: 5, response: completed }),
        ],
      },
      {
        sse: [
          ev({ type: "response.output_text.delta", sequence_number: 0, item_id: "m", output_index: 0, content_index: 0, delta: "3" }),
          ev({ type: "response.completed", sequence_number: 1, response: completed }),
        ],
      },
    ]);
    const events: RunEvent[] = [];
    for await (const e of new Agent({ provider: provider({ thinking: true }), prompt: "p", tools: [add] }).stream("1+2")) events.push(e);
    expect(events.map((e) => e.type)).toEqual(["run_started", "reasoning_delta", "tool_use_start", "tool_use_end", "tool_result", "text_delta", "run_completed"]);
    expect(vendor.requests[0]!.body).toMatchObject({ stream: true, reasoning: { summary: "auto" } });
  });

  it("rejects unknown built-in tools", () => {
    expect(() => new OpenAIResponsesProvider({ model: "m", apiKey: "k", builtinTools: ["code_interpreter" as never] })).toThrow(
      "Unknown built-in tool 'code_interpreter'. Supported: web_search_preview",
    );
  });
});

describe("OpenAIResponsesProvider with reasoning configured", () => {
  it("sends no temperature or top_p and warns once", async () => {
    const { logger } = await import("../../src/util/logger.js");
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => undefined);
    try {
      await start([
        response([{ type: "function_call", id: "fc_1", call_id: "call_1", name: "add", arguments: '{"a":1,"b":2}', status: "completed" }]),
        response([{ type: "message", id: "msg_1", role: "assistant", status: "completed", content: [{ type: "output_text", text: "3", annotations: [] }] }]),
      ]);
      await new Agent({ provider: provider({ effort: "medium", temperature: 0.2 }), prompt: "p", tools: [add] }).run("1+2", { topP: 0.4 });
      expect(vendor.requests).toHaveLength(2);
      for (const request of vendor.requests) {
        expect(request.body).toMatchObject({ reasoning: { effort: "medium" } });
        expect(request.body).not.toHaveProperty("temperature");
        expect(request.body).not.toHaveProperty("top_p");
      }
      const warnings = warn.mock.calls.map(([m]) => m).filter((m) => m.includes("temperature"));
      expect(warnings).toEqual(["OpenAIResponsesProvider: temperature and top_p are not sent while reasoning is on (reasoning models reject them)."]);
    } finally {
      warn.mockRestore();
    }
  });

  it("thinking alone counts as reasoning; without it temperature is sent", async () => {
    await start([response([]), response([])]);
    await new Agent({ provider: provider({ thinking: true, temperature: 0.2 }), prompt: "p" }).run("x");
    await new Agent({ provider: provider({ temperature: 0.2 }), prompt: "p" }).run("x");
    expect(vendor.requests[0]!.body).not.toHaveProperty("temperature");
    expect(vendor.requests[1]!.body).toMatchObject({ temperature: 0.2 });
  });
});

describe("OpenAIResponsesProvider structured output", () => {
  it("streams partial objects from output_text deltas; strict text.format named from the zod title", async () => {
    const { z } = await import("zod");
    const { SingleCall } = await import("../../src/index.js");
    const ev = (e: Record<string, unknown>) => [String(e.type), e] as const;
    const completed = { id: "resp_1", object: "response", created_at: 1, status: "completed", model: "gpt-5", output: [], usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10 } };
    const deltas = ['{"city": "Par', 'is", "zip": null}'];
    await start([
      {
        sse: [
          ...deltas.map((delta, i) => ev({ type: "response.output_text.delta", sequence_number: i, item_id: "m", output_index: 0, content_index: 0, delta })),
          ev({ type: "response.completed", sequence_number: 9, response: completed }),
        ],
      },
    ]);
    const Address = z.object({ city: z.string(), zip: z.string().optional() }).meta({ title: "Address" });
    const events: RunEvent[] = [];
    for await (const e of new Agent({ provider: provider(), prompt: "p", loop: new SingleCall(), outputType: Address }).stream("Where?")) events.push(e);
    expect(events.filter((e) => e.type === "partial_output").map((e) => e.type === "partial_output" && e.output)).toEqual([{ city: "Par" }, { city: "Paris" }]);
    expect(events.at(-1)).toMatchObject({ type: "run_completed", result: { output: { city: "Paris" } } });
    expect(vendor.requests[0]!.body.text).toEqual({
      format: {
        type: "json_schema",
        name: "Address",
        strict: true,
        schema: { title: "Address", type: "object", properties: { city: { type: "string" }, zip: { type: ["string", "null"] } }, required: ["city", "zip"], additionalProperties: false },
      },
    });
  });
});
