import { ProviderError } from "../errors/provider-error.js";
import { StructuredOutputValidationError } from "../errors/structured-output-validation-error.js";
import { ValidationError } from "../errors/validation-error.js";
import { capabilitiesOf, providerName } from "../llm/provider.js";
import { outputJsonSchema, restoreOptionalFields } from "../llm/shared/output-schema.js";
import type { LLMRequest } from "../llm/provider.js";
import type { LLMResponse } from "../types/llm-response.js";
import type { RunEvent } from "../types/run-event.js";
import { addUsage } from "../types/usage.js";
import { appendMessage } from "./append-message.js";
import { checkBudget } from "./budget-check.js";
import { callProvider } from "./call-provider.js";
import { guardIncoming, guardOutgoing, heldBack } from "./guard-steps.js";
import { streamPartialOutputs } from "./partial-output.js";
import type { Loop, LoopContext, LoopOutcome } from "./loop.js";
import { z } from "zod";

/** Name used for an `outputType` in messages and request identity. */
export function outputTypeName(schema: z.ZodType): string {
  return schema.description ?? (z.globalRegistry.get(schema)?.id as string | undefined) ?? "OutputType";
}

/**
 * Parses and validates a structured answer; throws `StructuredOutputValidationError`.
 * A `null` written for an optional field (strict structured output) counts as absent.
 * `restore` maps the parsed JSON before validation (real values for placeholders).
 */
export function parseStructured(schema: z.ZodType, text: string, restore: (json: unknown) => unknown = (json) => json): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StructuredOutputValidationError({
      rawResponse: text,
      outputTypeName: outputTypeName(schema),
      validationError: `Invalid JSON: ${(error as Error).message}`,
    });
  }
  const parsed = schema.safeParse(restore(restoreOptionalFields(outputJsonSchema(schema), json)));
  if (parsed.success) return parsed.data;
  throw new StructuredOutputValidationError({
    rawResponse: text,
    outputTypeName: outputTypeName(schema),
    validationError: z.prettifyError(parsed.error),
  });
}

/**
 * Exactly one LLM call, no tools: classification, extraction, summaries.
 * With `outputType` the answer is parsed and validated as JSON.
 */
export class SingleCall implements Loop {
  readonly name = "SingleCall";
  readonly supportsTools = false;

  async *run(ctx: LoopContext): AsyncGenerator<RunEvent, LoopOutcome, undefined> {
    const { agent, state, hooks, runId } = ctx;
    const iteration = 1;
    const restore = (value: unknown) => (ctx.guard ? ctx.guard.deanonymize(value) : value);
    let outputSchema: Record<string, unknown> | undefined;
    if (ctx.outputType) {
      if (!capabilitiesOf(ctx.provider).supportsStructuredOutput) {
        throw new ValidationError({ field: "outputType", message: `${providerName(ctx.provider)} does not support structured output.` });
      }
      outputSchema = outputJsonSchema(ctx.outputType);
    }
    const built = ctx.strategy.buildMessages({ systemPrompt: agent.systemPrompt, history: state.history, toolDefs: [] });
    const guarded = await guardIncoming(ctx, built.messages, iteration);
    if ("outcome" in guarded) return guarded.outcome;
    const { messages } = guarded;
    const request: LLMRequest = {
      messages,
      tools: null,
      runId,
      cacheKeyPrefix: ctx.cacheKeyPrefix,
      options: ctx.providerOptions,
      signal: ctx.signal,
      ...(outputSchema ? { outputSchema } : {}),
    };
    await hooks.llmCallStarted(runId, iteration, { semanticMessages: messages, semanticTools: null });
    const started = performance.now();
    let response: LLMResponse;
    try {
      const structuredStream = outputSchema !== undefined && ctx.streaming;
      const call = callProvider(
        ctx,
        request,
        iteration,
        (type) => {
          throw new ProviderError(`SingleCall received an unexpected ${type} event from the provider stream. SingleCall agents have no tools.`);
        },
        // Partial objects are parsed from the model's own text, then given real values.
        { rawText: structuredStream },
      );
      response = yield* structuredStream ? streamPartialOutputs(call, outputSchema!, runId, restore) : call;
      const calls = response.toolCalls ?? [];
      if (calls.length > 0) {
        throw new ProviderError(`SingleCall received unexpected tool calls from the provider (${calls.length} calls). SingleCall agents have no tools.`);
      }
    } catch (error) {
      await hooks.llmCallFailed(runId, iteration, error, Math.round(performance.now() - started));
      throw error;
    }
    const durationMs = Math.round(performance.now() - started);
    const blocked = await guardOutgoing(ctx, response, iteration, { semanticMessages: messages, semanticTools: null, durationMs }, false);
    if (blocked) return blocked;
    await hooks.llmCallCompleted(runId, response, iteration, { semanticMessages: messages, semanticTools: null, durationMs });
    state.usage = addUsage(state.usage, response.usage);
    state.iteration = iteration;
    await appendMessage(ctx, { role: "assistant", content: response.text ?? "" }, iteration);
    await checkBudget(ctx, iteration);
    if (heldBack(ctx) && response.text && !ctx.outputType) yield { type: "text_delta", runId, text: restore(response.text) as string };

    const output = ctx.outputType ? parseStructured(ctx.outputType, response.text ?? "", restore) : undefined;
    return { status: "success", answer: response.text, iterationCount: 1, ...(ctx.outputType ? { output } : {}) };
  }
}
