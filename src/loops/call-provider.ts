import type { LLMRequest } from "../llm/provider.js";
import { checkUsage } from "../llm/check-usage.js";
import { fallbackStream, providerName } from "../llm/provider.js";
import { providerCallScope } from "../llm/shared/call-context.js";
import type { LLMResponse } from "../types/llm-response.js";
import type { ProviderStreamEvent, RunEvent } from "../types/run-event.js";
import type { LoopContext } from "./loop.js";

/**
 * One model call. Under streaming, deltas are yielded as they arrive; if the
 * consumer stops, the provider's stream is closed at the next delta. The call
 * runs in a telemetry scope so SDK retries surface as `provider.retry`.
 */
export async function* callProvider(
  ctx: LoopContext,
  request: LLMRequest,
  iteration: number,
  onToolEvent?: (type: "tool_use_start" | "tool_use_end") => void,
): AsyncGenerator<RunEvent, LLMResponse> {
  const inScope = providerCallScope({
    runId: ctx.runId,
    iteration,
    emit: (eventType, data) => ctx.hooks.governance(ctx.runId, eventType, iteration, data, null),
  });
  if (!ctx.streaming) return checkUsage(await inScope(() => ctx.provider.complete(request)), providerName(ctx.provider));
  const source = ctx.provider.stream ? ctx.provider.stream(request) : fallbackStream(ctx.provider, request);
  const iterator = source[Symbol.asyncIterator]();
  const runId = ctx.runId;
  try {
    while (true) {
      const next: IteratorResult<ProviderStreamEvent> = await inScope(() => iterator.next());
      if (next.done) break;
      const event = next.value;
      switch (event.type) {
        case "text_delta":
        case "reasoning_delta":
          yield { type: event.type, runId, text: event.text };
          break;
        case "tool_use_start":
          onToolEvent?.("tool_use_start");
          yield { type: "tool_use_start", runId, toolName: event.toolName, toolCallId: event.toolCallId };
          break;
        case "tool_use_end":
          onToolEvent?.("tool_use_end");
          yield { type: "tool_use_end", runId, toolCall: event.toolCall, toolName: event.toolCall.name, toolCallId: event.toolCallId };
          break;
        case "done":
          return checkUsage(event.response, providerName(ctx.provider));
      }
    }
  } finally {
    await iterator.return?.();
  }
  throw new Error(`Provider stream ended without a done event at iteration ${iteration}.`);
}
