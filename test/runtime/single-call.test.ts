import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Agent, SingleCall, StructuredOutputValidationError } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";

const Sentiment = z.object({ label: z.enum(["positive", "negative"]), score: z.number() }).describe("Sentiment");

describe("SingleCall", () => {
  it("makes exactly one call, without tools", async () => {
    const llm = new MockLLM(["Positive."]);
    const result = await new Agent({ provider: llm, prompt: "Classify.", loop: new SingleCall() }).run("I love it");
    expect(result).toMatchObject({ status: "success", answer: "Positive.", iterationCount: 1 });
    expect(llm.calls).toHaveLength(1);
    expect(llm.calls[0]!.tools).toBeNull();
  });

  it("returns validated structured output", async () => {
    const llm = new MockLLM(['{"label": "positive", "score": 0.9}']);
    const agent = new Agent({ provider: llm, prompt: "Classify.", loop: new SingleCall(), outputType: Sentiment });
    const result = await agent.run("I love it");
    expect(result.output).toEqual({ label: "positive", score: 0.9 });
    expect(llm.calls[0]!.outputSchema).toMatchObject({ type: "object", required: ["label", "score"] });
  });

  it("accepts outputType per run", async () => {
    const agent = new Agent({ provider: new MockLLM(['{"label": "negative", "score": 0.1}']), prompt: "p", loop: new SingleCall() });
    const result = await agent.run("meh", { outputType: Sentiment });
    expect(result.output).toEqual({ label: "negative", score: 0.1 });
  });

  it("throws StructuredOutputValidationError on a non-matching answer", async () => {
    const agent = new Agent({ provider: new MockLLM(['{"label": "meh"}']), prompt: "p", loop: new SingleCall(), outputType: Sentiment });
    const error = await agent.run("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StructuredOutputValidationError);
    expect(error).toMatchObject({ outputTypeName: "Sentiment", rawResponse: '{"label": "meh"}' });
    const notJson = new Agent({ provider: new MockLLM(["nope"]), prompt: "p", loop: new SingleCall(), outputType: Sentiment });
    await expect(notJson.run("x")).rejects.toThrow(/Invalid JSON/);
  });

  it("fails when the provider returns tool calls anyway", async () => {
    const agent = new Agent({ provider: new MockLLM([{ toolCalls: [{ name: "x" }] }]), prompt: "p", loop: new SingleCall() });
    await expect(agent.run("x")).rejects.toThrow(/SingleCall received unexpected tool calls/);
  });

  it("refuses outputType on a ReAct agent's run", async () => {
    const agent = new Agent({ provider: new MockLLM(["x"]), prompt: "p" });
    await expect(agent.run("x", { outputType: Sentiment })).rejects.toThrow(/only supported with the SingleCall loop, not ReActLoop/);
  });

  it("refuses an outputType JSON Schema cannot describe before calling the model", async () => {
    const { ValidationError } = await import("../../src/index.js");
    const llm = new MockLLM(["{}"]);
    const agent = new Agent({ provider: llm, prompt: "p", loop: new SingleCall() });
    const error = await agent.run("x", { outputType: z.object({ when: z.date() }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: "outputType", message: expect.stringContaining("outputType cannot be expressed as JSON Schema") });
    expect(llm.callsMade).toBe(0);
  });

  it("refuses structured output from providers that cannot do it", async () => {
    const llm = new MockLLM(["{}"], { capabilities: { supportsStructuredOutput: false } });
    const agent = new Agent({ provider: llm, prompt: "p", loop: new SingleCall(), outputType: Sentiment });
    await expect(agent.run("x")).rejects.toThrow("MockLLM does not support structured output.");
  });
});
