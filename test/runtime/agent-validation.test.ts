import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Agent, Budget, SingleCall, ValidationError, tool } from "../../src/index.js";
import type { AgentOptions } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { add, lookup, readRange, refund } from "../support/tools.js";

const provider = new MockLLM([]);
const base = { name: "Support", provider, prompt: "p" };

function rejection(make: () => unknown): ValidationError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error("expected a ValidationError");
}

describe("Agent construction rules", () => {
  it("needs a prompt", () => {
    const e = rejection(() => new Agent({ ...base, prompt: "" }));
    expect(e.field).toBe("prompt");
    expect(e.message).toBe("Agent 'Support' requires a prompt. Pass prompt to the constructor.");
  });

  it("a provider, when given, must be a provider instance or a recipe", () => {
    const e = rejection(() => new Agent({ ...base, provider: 42 as never }));
    expect(e.field).toBe("provider");
    expect(e.message).toContain("pass a provider instance");
  });

  it("rejects tools on SingleCall, naming them", () => {
    const e = rejection(() => new Agent({ ...base, loop: new SingleCall(), tools: [add, lookup] }));
    expect(e.message).toContain(`uses SingleCall loop but has 2 tool(s): ["add","lookup"]`);
  });

  it("rejects outputType without SingleCall", () => {
    const e = rejection(() => new Agent({ ...base, outputType: z.object({ x: z.number() }) }));
    expect(e.field).toBe("outputType");
    expect(e.message).toContain("does not use the SingleCall loop");
  });

  it("rejects non-tools and duplicate names", () => {
    expect(rejection(() => new Agent({ ...base, tools: [add, (() => 1) as never] })).message).toContain("non-tool in its tools list at index 1");
    const add2 = tool({ name: "add", description: "", parameters: z.object({}), execute: () => 0 });
    expect(rejection(() => new Agent({ ...base, tools: [add, add2] })).message).toBe(
      "Agent 'Support' has duplicate tool name 'add'. Each tool registered on an agent must have a unique name.",
    );
  });

  it("bounds maxIterations to 1..200", () => {
    expect(rejection(() => new Agent({ ...base, maxIterations: 0 })).message).toBe("Agent 'Support' maxIterations must be >= 1, got 0.");
    expect(rejection(() => new Agent({ ...base, maxIterations: 201 })).message).toBe("Agent 'Support' maxIterations cannot exceed 200, got 201.");
    expect(rejection(() => new Agent({ ...base, maxIterations: 2.5 })).field).toBe("maxIterations");
    expect(() => new Agent({ ...base, maxIterations: 200 })).not.toThrow();
  });

  it("checks deny and requireApproval names", () => {
    expect(rejection(() => new Agent({ ...base, deny: ["x"] })).message).toBe(`Agent 'Support' has deny=["x"] but no tools.`);
    expect(rejection(() => new Agent({ ...base, tools: [add, lookup], deny: ["zap", "nope"] })).message).toBe(
      `Agent 'Support' deny contains unknown tool(s): ["nope","zap"]. Available tools: ["add","lookup"].`,
    );
    expect(rejection(() => new Agent({ ...base, tools: [add], requireApproval: ["refund"] })).message).toBe(
      `Agent 'Support' requireApproval contains unknown tool(s): ["refund"]. Available tools: ["add"].`,
    );
    expect(rejection(() => new Agent({ ...base, tools: [readRange], requireApproval: ["read_range"] })).message).toContain(
      `'read_range' which has target "client"`,
    );
    expect(rejection(() => new Agent({ ...base, tools: [refund, add], deny: ["refund"], requireApproval: ["refund"] })).message).toBe(
      `Agent 'Support' has tools in both deny and requireApproval: ["refund"]. A tool cannot be both denied and require approval.`,
    );
  });

  it("validates maxDelegationDepth and budget", () => {
    expect(rejection(() => new Agent({ ...base, maxDelegationDepth: -1 })).field).toBe("maxDelegationDepth");
    expect(() => new Agent({ ...base, maxDelegationDepth: null })).not.toThrow();
    expect(rejection(() => new Budget({ maxTokens: 0 })).message).toBe("Budget maxTokens must be > 0, got 0.");
    expect(rejection(() => new Budget({ maxTokens: 10, warnAt: [1] })).message).toBe("Budget warnAt fractions must be in (0, 1) exclusive, got 1.");
  });

  it("checks recipe strings", () => {
    expect(rejection(() => new Agent({ ...base, provider: "anthropic" })).message).toContain(`Invalid provider spec "anthropic"`);
    expect(rejection(() => new Agent({ ...base, provider: "acme:m1" })).message).toContain(`Unknown provider vendor "acme"`);
    const saved = { a: process.env.ANTHROPIC_API_KEY, o: process.env.OPENAI_API_KEY, r: process.env.OPENROUTER_API_KEY };
    delete process.env.ANTHROPIC_API_KEY;
    delete process.env.OPENAI_API_KEY;
    delete process.env.OPENROUTER_API_KEY;
    try {
      expect(rejection(() => new Agent({ ...base, provider: "anthropic:claude-haiku-4-5" })).message).toContain("ANTHROPIC_API_KEY");
      expect(rejection(() => new Agent({ ...base, provider: "openai:gpt-4o" })).message).toContain("OPENAI_API_KEY");
      expect(rejection(() => new Agent({ ...base, provider: "openai-responses:gpt-5" })).message).toContain("OPENAI_API_KEY");
      expect(rejection(() => new Agent({ ...base, provider: "openrouter:meta-llama/llama-3.3-70b-instruct:free" })).message).toContain("OPENROUTER_API_KEY");
      process.env.OPENROUTER_API_KEY = "sk-or-test";
      const agent = new Agent({ ...base, provider: " OpenRouter : meta-llama/llama-3.3-70b-instruct:free " });
      expect(agent.model).toBe("meta-llama/llama-3.3-70b-instruct:free");
      expect(agent.provider!.constructor.name).toBe("OpenRouterProvider");
    } finally {
      for (const [k, v] of [["ANTHROPIC_API_KEY", saved.a], ["OPENAI_API_KEY", saved.o], ["OPENROUTER_API_KEY", saved.r]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("rejects bad databaseUrl forms at construction", () => {
    expect(rejection(() => new Agent({ ...base, databaseUrl: "mysql://x" })).field).toBe("databaseUrl");
  });

  it("refuses an empty databaseUrl or an empty DENDRUX_DATABASE_URL instead of running without persistence", () => {
    const empty = rejection(() => new Agent({ ...base, databaseUrl: "" }));
    expect(empty.field).toBe("databaseUrl");
    expect(empty.message).toContain("databaseUrl is empty");
    const saved = process.env.DENDRUX_DATABASE_URL;
    process.env.DENDRUX_DATABASE_URL = "  ";
    try {
      expect(rejection(() => new Agent(base)).message).toContain("DENDRUX_DATABASE_URL is set but empty");
    } finally {
      if (saved === undefined) delete process.env.DENDRUX_DATABASE_URL;
      else process.env.DENDRUX_DATABASE_URL = saved;
    }
  });

  it.each([-1, 1.5, 60_001, "100", null])("rejects recordWithinMs %o, naming the range", (recordWithinMs) => {
    const error = rejection(() => new Agent({ ...base, recordWithinMs: recordWithinMs as number }));
    expect(error.field).toBe("recordWithinMs");
    expect(error.message).toContain("recordWithinMs must be an integer between 0 and 60000");
  });

  it.each([0, 5, 1.5, 3_600_001, "1000"])("rejects heartbeatMs %o, naming the range", (heartbeatMs) => {
    const error = rejection(() => new Agent({ ...base, heartbeatMs: heartbeatMs as number }));
    expect(error.field).toBe("heartbeatMs");
    expect(error.message).toContain("heartbeatMs must be an integer between 10 and 3600000");
  });
});

describe("run option rules", () => {
  const agent = new Agent({ ...base, provider: new MockLLM(["ok"]) });

  it("validates history before anything happens", async () => {
    const { ChatMessage } = await import("../../src/index.js");
    await expect(agent.run("q", { history: [ChatMessage.assistant("a")] })).rejects.toThrow(
      "history must start with a user message, not an assistant message",
    );
    await expect(agent.run("q", { history: [ChatMessage.user("a")] })).rejects.toThrow("history ends with a user message");
    await expect(agent.run("q", { history: [ChatMessage.user("a"), ChatMessage.assistant("")] })).rejects.toThrow(
      "history message at index 1 has empty content",
    );
    await expect(
      agent.run("q", { history: [ChatMessage.user("a"), ChatMessage.user("b"), ChatMessage.assistant("c")] }),
    ).rejects.toThrow("history contains consecutive user messages at index 1");
  });

  it("validates context blocks", async () => {
    const { ContextBlock } = await import("../../src/index.js");
    await expect(agent.run("q", { context: [new ContextBlock("")] })).rejects.toThrow("context[0] has empty content");
    await expect(agent.run("q", { context: ["x" as never] })).rejects.toThrow("context[0] must be a ContextBlock");
  });

  it("refuses idempotency keys without a database and bad metadata", async () => {
    await expect(agent.run("q", { idempotencyKey: "k" })).rejects.toThrow(/requires persistence/);
    await expect(agent.run("q", { metadata: [] as never })).rejects.toThrow(/metadata must be a plain object/);
    await expect(agent.run("q", { signal: 98381498 as never })).rejects.toThrow("signal must be an AbortSignal");
  });
});

describe("agent introspection and disposal", () => {
  it("a subclass names its runs, the prompt and tool definitions are readable, results carry their steps", async () => {
    class Support extends Agent {}
    await using llm = new MockLLM([{ toolCalls: [{ name: "lookup", params: { id: "7" } }] }, "found"]);
    await using agent = new Support({ provider: llm, prompt: "Be brief.", tools: [lookup] });
    expect(agent.name).toBe("Support");
    expect(new Support({ provider: new MockLLM([]), prompt: "p", name: "Named" }).name).toBe("Named");
    expect(agent.getSystemPrompt()).toBe("Be brief.");
    expect(agent.getToolDefs().map((d) => [d.name, d.parameters.required])).toEqual([["lookup", ["id"]]]);
    const result = await agent.run("find 7");
    expect(result.steps!.map((s) => s.action.type)).toEqual(["tool_calls", "finish"]);
  });

  it("a subclass gives its prompt and tools as constructor defaults (the reference's class attributes); the caller's options win", async () => {
    class Support extends Agent {
      constructor(options: Partial<AgentOptions> = {}) {
        super({ prompt: "You are a support agent.", tools: [lookup], maxIterations: 5, ...options });
      }
    }
    await using llm = new MockLLM(["ok"]);
    await using plain = new Support({ provider: llm });
    expect([plain.name, plain.getSystemPrompt(), plain.getToolDefs().map((d) => d.name)]).toEqual(["Support", "You are a support agent.", ["lookup"]]);
    expect((await plain.run("hi")).answer).toBe("ok");
    const custom = new Support({ provider: new MockLLM([]), prompt: "Be terse.", tools: [lookup, refund] });
    expect([custom.getSystemPrompt(), custom.getToolDefs().map((d) => d.name)]).toEqual(["Be terse.", ["lookup", "refund"]]);
    expect(plain.getToolDefs().map((d) => d.name)).toEqual(["lookup"]);
  });
});
