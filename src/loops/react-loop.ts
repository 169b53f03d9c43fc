import type { LLMRequest } from "../llm/provider.js";
import type { LLMResponse } from "../types/llm-response.js";
import type { RunEvent } from "../types/run-event.js";
import { addUsage } from "../types/usage.js";
import { appendMessage } from "./append-message.js";
import { checkBudget } from "./budget-check.js";
import { callProvider } from "./call-provider.js";
import type { Loop, LoopContext, LoopOutcome } from "./loop.js";
import { guardIncoming, guardOutgoing, heldBack } from "./guard-steps.js";
import { finishPendingBatch, runToolBatch } from "./tool-batch.js";

/**
 * Think → act → observe, one LLM call per iteration, until the model answers,
 * the run pauses, or `maxIterations` is reached. The default loop.
 */
export class ReActLoop implements Loop {
  readonly name = "ReActLoop";
  readonly supportsTools = true;

  async *run(ctx: LoopContext): AsyncGenerator<RunEvent, LoopOutcome, undefined> {
    const { agent, state, hooks, runId } = ctx;
    const stopped = yield* finishPendingBatch(ctx);
    if (stopped) return stopped;

    for (let iteration = state.iteration + 1; iteration <= agent.maxIterations; iteration++) {
      if (await ctx.isCancelRequested()) {
        return { status: "cancelled", answer: null, iterationCount: iteration - 1 };
      }

      const built = ctx.strategy.buildMessages({
        systemPrompt: agent.systemPrompt,
        history: state.history,
        toolDefs: agent.toolDefs,
      });
      const guarded = await guardIncoming(ctx, built.messages, iteration);
      if ("outcome" in guarded) return guarded.outcome;
      const { messages } = guarded;
      const { tools } = built;
      const request: LLMRequest = {
        messages,
        tools,
        runId,
        cacheKeyPrefix: ctx.cacheKeyPrefix,
        options: ctx.providerOptions,
        signal: ctx.signal,
      };
      await hooks.llmCallStarted(runId, iteration, { semanticMessages: messages, semanticTools: tools });
      const started = performance.now();
      let response: LLMResponse;
      try {
        response = yield* callProvider(ctx, request, iteration);
      } catch (error) {
        await hooks.llmCallFailed(runId, iteration, error, Math.round(performance.now() - started));
        throw error;
      }
      const durationMs = Math.round(performance.now() - started);
      const blocked = await guardOutgoing(ctx, response, iteration, { semanticMessages: messages, semanticTools: tools, durationMs }, true);
      if (blocked) return blocked;
      await hooks.llmCallCompleted(runId, response, iteration, { semanticMessages: messages, semanticTools: tools, durationMs });
      if (heldBack(ctx) && response.text) yield { type: "text_delta", runId, text: ctx.guard!.deanonymize(response.text) };

      state.usage = addUsage(state.usage, response.usage);
      state.iteration = iteration;
      await checkBudget(ctx, iteration);

      const parsed = ctx.strategy.parseResponse(response);
      const step = response.reasoning != null ? { ...parsed, meta: { ...parsed.meta, reasoning: response.reasoning } } : parsed;
      state.steps.push(step);

      const calls = response.toolCalls ?? [];
      await appendMessage(
        ctx,
        {
          role: "assistant",
          content: response.text ?? "",
          ...(calls.length > 0 ? { toolCalls: calls } : {}),
          ...(response.assistantMeta ? { meta: response.assistantMeta } : {}),
        },
        iteration,
      );

      const action = step.action;
      if (action.type === "finish") {
        return { status: "success", answer: action.answer, iterationCount: iteration };
      }
      if (action.type === "clarification") {
        return { status: "waiting_human_input", answer: action.question, iterationCount: iteration, pending: { calls: [], targets: {} } };
      }

      const paused = yield* runToolBatch(ctx, { calls: action.calls, iteration });
      if (paused) return paused;
    }
    return { status: "max_iterations", answer: null, iterationCount: agent.maxIterations };
  }
}
