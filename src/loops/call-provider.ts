import type { LLMRequest } from "../llm/provider.js";
import { checkUsage } from "../llm/check-usage.js";
import { fallbackStream, providerName } from "../llm/provider.js";
import { providerCallScope } from "../llm/shared/call-context.js";
import type { LLMResponse } from "../types/llm-response.js";
import type { ProviderStreamEvent, RunEvent } from "../types/run-event.js";
import { ProviderError } from "../errors/provider-error.js";
import type { LoopContext } from "./loop.js";
import { PlaceholderStream } from "./placeholder-stream.js";
import { raceAbort } from "./race-abort.js";

/**
 * One model call. Under streaming, deltas are yielded as they arrive; if the
 * consumer stops, the provider's stream is closed at the next delta. The call
 * runs in a telemetry scope so SDK retries surface as `provider.retry`. It is
 * raced against the run's abort signal, so a cancel settles even when the
 * provider ignores the signal; anything the provider throws arrives as a
 * `ProviderError` (or the dendrux error it already was).
 */
export async function* callProvider(
  ctx: LoopContext,
  request: LLMRequest,
  iteration: number,
  onToolEvent?: (type: "tool_use_start" | "tool_use_end") => void,
  options: { readonly rawText?: boolean } = {},
): AsyncGenerator<RunEvent, LLMResponse> {
  try {
    if (!ctx.streaming) return await complete(ctx, request, iteration);
    return yield* streamed(ctx, request, iteration, onToolEvent, options.rawText ?? false);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw ProviderError.from(error);
  }
}

function telemetryScope(ctx: LoopContext, iteration: number) {
  return providerCallScope({
    runId: ctx.runId,
    iteration,
    emit: (eventType, data) => ctx.hooks.governance(ctx.runId, eventType, iteration, data, null),
  });
}

/** The provider's promise, or its synchronous throw as a rejection. */
function invoke(ctx: LoopContext, request: LLMRequest): Promise<LLMResponse> {
  try {
    return Promise.resolve(ctx.provider.complete(request));
  } catch (error) {
    return Promise.reject(error);
  }
}

async function complete(ctx: LoopContext, request: LLMRequest, iteration: number): Promise<LLMResponse> {
  const response = await raceAbort(telemetryScope(ctx, iteration)(() => invoke(ctx, request)), ctx.signal);
  return checkUsage(response, providerName(ctx.provider));
}

async function* streamed(
  ctx: LoopContext,
  request: LLMRequest,
  iteration: number,
  onToolEvent: ((type: "tool_use_start" | "tool_use_end") => void) | undefined,
  rawText: boolean,
): AsyncGenerator<RunEvent, LLMResponse> {
  const inScope = telemetryScope(ctx, iteration);
  const source = ctx.provider.stream ? ctx.provider.stream(request) : fallbackStream(ctx.provider, request);
  const iterator = source[Symbol.asyncIterator]();
  const runId = ctx.runId;
  // With guardrails the caller sees real values; with a blocking one, the text only once it passed (the loop shows it).
  const holdText = ctx.guard?.mayBlockOutput ?? false;
  const text = ctx.guard && !rawText ? new PlaceholderStream(ctx.guard) : null;
  const reasoning = ctx.guard ? new PlaceholderStream(ctx.guard) : null;
  try {
    while (true) {
      const next: IteratorResult<ProviderStreamEvent> = await raceAbort(inScope(() => iterator.next()), ctx.signal);
      if (next.done) break;
      const event = next.value;
      switch (event.type) {
        case "text_delta":
        case "reasoning_delta": {
          if (holdText) break;
          const shown = event.type === "text_delta" ? (text?.push(event.text) ?? event.text) : (reasoning?.push(event.text) ?? event.text);
          if (shown) yield { type: event.type, runId, text: shown };
          break;
        }
        case "tool_use_start":
          onToolEvent?.("tool_use_start");
          yield { type: "tool_use_start", runId, toolName: event.toolName, toolCallId: event.toolCallId };
          break;
        case "tool_use_end":
          onToolEvent?.("tool_use_end");
          yield { type: "tool_use_end", runId, toolCall: event.toolCall, toolName: event.toolCall.name, toolCallId: event.toolCallId };
          break;
        case "done": {
          const restOfReasoning = holdText ? "" : (reasoning?.flush() ?? "");
          if (restOfReasoning) yield { type: "reasoning_delta", runId, text: restOfReasoning };
          const restOfText = holdText ? "" : (text?.flush() ?? "");
          if (restOfText) yield { type: "text_delta", runId, text: restOfText };
          return checkUsage(event.response, providerName(ctx.provider));
        }
      }
    }
  } finally {
    // A provider that ignores the abort may never finish closing: do not wait on it then.
    const closing = Promise.resolve(iterator.return?.()).catch(() => undefined);
    if (!ctx.signal.aborted) await closing;
  }
  throw new ProviderError(`Provider stream ended without a done event at iteration ${iteration}.`);
}
