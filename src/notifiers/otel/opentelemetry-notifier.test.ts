import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Agent, tool } from "../../index.js";
import { MockLLM } from "../../llm/mock/index.js";
import { OpenTelemetryNotifier } from "./index.js";

function tracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer("test") };
}

const add = tool({ name: "add", description: "", parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b });
const boom = tool({ name: "boom", description: "", parameters: z.object({}), execute: () => { throw new Error("kaput"); } });

describe("OpenTelemetryNotifier", () => {
  it("traces a run as invoke_agent with chat and execute_tool children", async () => {
    const { exporter, tracer } = tracing();
    const notifier = new OpenTelemetryNotifier({ tracer, includeToolParams: true, includeMessages: true });
    const agent = new Agent({
      name: "Calc",
      provider: new MockLLM([{ toolCalls: [{ name: "add", params: { a: 1, b: 2 } }, { name: "boom" }], usage: { inputTokens: 20, outputTokens: 4 } }, "3"]),
      prompt: "p",
      tools: [add, boom],
      requireApproval: [],
    });
    const result = await agent.run("1+2", { notifier });
    const spans = exporter.getFinishedSpans();
    const byName = (n: string) => spans.filter((s) => s.name === n);
    const [run] = byName("invoke_agent Calc");
    expect(run!.attributes).toMatchObject({ "gen_ai.operation.name": "invoke_agent", "dendrux.run.id": result.runId, "gen_ai.agent.name": "Calc", "dendrux.run.status": "success" });
    const chats = byName("chat mock");
    expect(chats).toHaveLength(2);
    expect(chats[0]!.attributes).toMatchObject({ "gen_ai.request.model": "mock", "gen_ai.usage.input_tokens": 20, "gen_ai.usage.output_tokens": 4, "dendrux.run.iteration": 1 });
    expect(chats[1]!.attributes["gen_ai.completion"]).toBe("3");
    const [addSpan] = byName("execute_tool add");
    expect(addSpan!.attributes).toMatchObject({ "dendrux.tool.success": true, "dendrux.tool.params": '{"a": 1, "b": 2}' });
    const [boomSpan] = byName("execute_tool boom");
    expect(boomSpan!.status).toMatchObject({ code: 2, message: "kaput" });
    for (const child of [...chats, addSpan!, boomSpan!]) {
      expect(child.spanContext().traceId).toBe(run!.spanContext().traceId);
      expect(child.parentSpanContext?.spanId).toBe(run!.spanContext().spanId);
    }
  });

  it("records governance events and failures", async () => {
    const { exporter, tracer } = tracing();
    const notifier = new OpenTelemetryNotifier({ tracer });
    const gated = new Agent({ provider: new MockLLM([{ toolCalls: [{ name: "add", params: { a: 1, b: 1 } }] }]), prompt: "p", tools: [add], requireApproval: ["add"] });
    await gated.run("x", { notifier });
    const [run] = exporter.getFinishedSpans().filter((s) => s.name === "invoke_agent Agent");
    expect(run!.attributes["dendrux.run.status"]).toBe("waiting_approval");
    expect(run!.events.map((e) => [e.name, e.attributes?.["dendrux.governance.tool_name"]])).toEqual([["governance.approval.requested", "add"]]);
    exporter.reset();
    await expect(new Agent({ provider: new MockLLM([]), prompt: "p" }).run("x", { notifier })).rejects.toThrow();
    const spans = exporter.getFinishedSpans();
    expect(spans.find((s) => s.name === "chat mock")!.status.code).toBe(2);
    expect(spans.find((s) => s.name.startsWith("invoke_agent"))!.status).toMatchObject({ code: 2 });
  });
});
