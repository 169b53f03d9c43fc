import { expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import type { Loop, LoopContext, LoopOutcome, RunEvent } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";

/** A loop that asks the model twice and answers with both replies: the extension point in use. */
class AskTwice implements Loop {
  readonly name = "AskTwice";
  readonly supportsTools = false;

  async *run(ctx: LoopContext): AsyncGenerator<RunEvent, LoopOutcome, undefined> {
    const answers: string[] = [];
    for (let iteration = ctx.state.iteration + 1; iteration <= 2; iteration++) {
      const { messages } = ctx.strategy.buildMessages({ systemPrompt: ctx.agent.systemPrompt, history: ctx.state.history, toolDefs: [] });
      const response = await ctx.provider.complete({ messages, tools: null, options: ctx.providerOptions, runId: ctx.runId });
      ctx.state.iteration = iteration;
      const message = { role: "assistant" as const, content: response.text ?? "" };
      ctx.state.history.push(message);
      await ctx.hooks.messageAppended(ctx.runId, message, iteration);
      answers.push(message.content);
      yield { type: "text_delta", runId: ctx.runId, text: message.content };
    }
    return { status: "success", answer: answers.join(" / "), iterationCount: 2 };
  }
}

it("a custom Loop drives the run through the same runner", async () => {
  const llm = new MockLLM(["first", "second"]);
  const appended: string[] = [];
  const agent = new Agent({ provider: llm, prompt: "p", loop: new AskTwice() });
  const result = await agent.run("go", { notifier: { onMessageAppended: (_r, m) => void appended.push(`${m.role}:${m.content}`) } });
  expect(result).toMatchObject({ status: "success", answer: "first / second", iterationCount: 2 });
  expect(appended).toEqual(["user:go", "assistant:first", "assistant:second"]);
  expect(llm.calls[1]!.messages.map((m) => m.content)).toEqual(["go", "first"]);
});
