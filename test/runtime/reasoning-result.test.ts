import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Agent, SingleCall, tool } from "../../src/index.js";
import { PII } from "../../src/guardrails/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { describeEachBackend, useRunDatabase } from "../support/backends.js";

const THINKING = "If the pen costs p, the notebook costs p + 3.00, so p = 0.15.";

describe("result.reasoning", () => {
  it("carries a SingleCall run's reasoning text, which has no steps to hold it", async () => {
    const llm = new MockLLM([{ reasoning: THINKING, text: "The pen costs $0.15." }]);
    const result = await new Agent({ provider: llm, prompt: "p", loop: new SingleCall() }).run("What does the pen cost?");
    expect(result).toMatchObject({ status: "success", answer: "The pen costs $0.15.", reasoning: THINKING, steps: [] });
  });

  it("is on a streamed run's result too", async () => {
    const agent = new Agent({ provider: new MockLLM([{ reasoning: THINKING, text: "$0.15" }]), prompt: "p", loop: new SingleCall() });
    const stream = agent.stream("What does the pen cost?");
    const deltas: string[] = [];
    let completed: unknown = null;
    for await (const event of stream) {
      if (event.type === "reasoning_delta") deltas.push(event.text);
      if (event.type === "run_completed") completed = event.result.reasoning;
    }
    expect(deltas.join("")).toBe(THINKING);
    expect(completed).toBe(THINKING);
    expect(stream.result?.reasoning).toBe(THINKING);
  });

  it("with structured output, next to the validated object", async () => {
    const agent = new Agent({
      provider: new MockLLM([{ reasoning: "Clearly happy.", text: '{"label":"positive"}' }]),
      prompt: "Classify.",
      loop: new SingleCall(),
      outputType: z.object({ label: z.enum(["positive", "negative"]) }),
    });
    const result = await agent.run("I love it");
    expect(result.output).toEqual({ label: "positive" });
    expect(result.reasoning).toBe("Clearly happy.");
  });

  it("on a ReAct run is the last call's, which each step also keeps", async () => {
    const add = tool({ name: "add", description: "Add.", parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b });
    const llm = new MockLLM([
      { reasoning: "I need the tool.", toolCalls: [{ name: "add", params: { a: 1, b: 2 } }] },
      { reasoning: "The tool said 3.", text: "3" },
    ]);
    const result = await new Agent({ provider: llm, prompt: "p", tools: [add] }).run("1 + 2?");
    expect(result.reasoning).toBe("The tool said 3.");
    expect(result.steps?.map((s) => s.meta?.reasoning)).toEqual(["I need the tool.", "The tool said 3."]);
  });

  it("is absent when the model returned none", async () => {
    const result = await new Agent({ provider: new MockLLM(["Hi."]), prompt: "p", loop: new SingleCall() }).run("hello");
    expect("reasoning" in result).toBe(false);
  });
});

describeEachBackend("result.reasoning with redaction", (backend) => {
  const db = useRunDatabase(backend);

  it("is returned with real values while the stored call keeps the placeholders", async () => {
    const llm = new MockLLM([
      (request) => {
        const email = /<<EMAIL_ADDRESS_\d+>>/.exec(request.messages.at(-1)!.content)![0];
        return { reasoning: `The user wrote from ${email}.`, text: `Replying to ${email}.` };
      },
    ]);
    const agent = db.track(new Agent({ provider: llm, prompt: "p", loop: new SingleCall(), guardrails: [new PII()], databaseUrl: db.url }));
    const result = await agent.run("Mail me at jane@example.com");
    expect(result.answer).toBe("Replying to jane@example.com.");
    expect(result.reasoning).toBe("The user wrote from jane@example.com.");
    const [call] = await db.store.getLlmCalls(result.runId);
    expect(call!.reasoning).toBe("The user wrote from <<EMAIL_ADDRESS_1>>.");
  });
});
