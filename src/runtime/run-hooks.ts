import type { LLMResponse } from "../types/llm-response.js";
import type { Message } from "../types/message.js";
import type { LlmCallCompletedDetails, LlmCallDetails, Notifier, NotifierHook } from "../types/notifier.js";
import type { RunResult } from "../types/run-result.js";
import type { ToolCall, ToolResult } from "../types/tool-call.js";
import { logger } from "../util/logger.js";
import type { GuardEngine } from "./guard-engine.js";

type HookArgs<H extends NotifierHook> = Parameters<NonNullable<Notifier[H]>>;

const DONE: Promise<void> = Promise.resolve();

/**
 * Fans every run hook out to the recorder first (fail-closed: its errors end
 * the run) and then to the caller's notifier (fail-open: its errors are logged
 * and collected as warnings).
 */
export class RunHooks {
  readonly #recorder: Notifier | null;
  readonly #notifier: Notifier | null;
  readonly warnings: string[];
  /** The reasoning text of the segment's latest completed LLM call, as the model wrote it (placeholders included). */
  lastReasoning: string | null = null;

  readonly #guard: GuardEngine | null;
  readonly #saveMapping: (() => Promise<void>) | null;
  #savedMappingSize = 0;

  /**
   * With a guard, what the recorder stores (message text, tool results) is
   * redacted first: no unredacted PII at rest outside the run's mapping.
   */
  constructor(
    recorder: Notifier | null,
    notifier: Notifier | null,
    guard: GuardEngine | null = null,
    saveMapping: (() => Promise<void>) | null = null,
    warnings: string[] = [],
  ) {
    this.#recorder = recorder;
    this.#notifier = notifier;
    this.#guard = guard;
    this.#saveMapping = saveMapping;
    this.warnings = warnings;
  }

  /** Nothing to tell anyone: the common in-memory case costs no promise. */
  #fire<H extends NotifierHook>(hook: H, args: HookArgs<H>, where: string, stored: HookArgs<H> = args): Promise<void> {
    if (!this.#recorder?.[hook] && !this.#notifier?.[hook]) return DONE;
    return this.#deliver(hook, args, where, stored);
  }

  async #deliver<H extends NotifierHook>(hook: H, args: HookArgs<H>, where: string, stored: HookArgs<H>): Promise<void> {
    const record = this.#recorder?.[hook] as ((...a: HookArgs<H>) => unknown) | undefined;
    if (record) {
      // Whatever grew the mapping (redaction for the model or for storage), it is
      // durable before any record that may hold its placeholders.
      const size = this.#guard?.size ?? 0;
      if (this.#saveMapping && size > this.#savedMappingSize) {
        await this.#saveMapping();
        this.#savedMappingSize = size;
      }
      const recorded = record.apply(this.#recorder, stored);
      if (recorded instanceof Promise) await recorded;
    }
    const notify = this.#notifier?.[hook] as ((...a: HookArgs<H>) => unknown) | undefined;
    if (!notify) return;
    try {
      await notify.apply(this.#notifier, args);
    } catch (error) {
      logger.warn(`Notifier.${hook} failed`, error);
      this.warnings.push(`${hook} failed ${where}`);
    }
  }

  runStarted(runId: string, info: { agentName: string; agentModel: string }): Promise<void> {
    return this.#fire("onRunStarted", [runId, info], `for run ${runId}`);
  }

  runFinished(runId: string, result: RunResult): Promise<void> {
    return this.#fire("onRunFinished", [runId, result], `for run ${runId}`);
  }

  runFailed(runId: string, error: unknown): Promise<void> {
    return this.#fire("onRunFailed", [runId, error, { iteration: null }], `for run ${runId}`);
  }

  /** With guardrails, what the recorder gets of anything it stores; `null` when nothing is redacted. */
  get #redacting(): GuardEngine | null {
    return this.#recorder ? this.#guard : null;
  }

  messageAppended(runId: string, message: Message, iteration: number): Promise<void> {
    const guard = this.#redacting;
    if (!guard) return this.#fire("onMessageAppended", [runId, message, iteration], `at iteration ${iteration}`);
    return redactMessage(guard, message).then((stored) =>
      this.#fire("onMessageAppended", [runId, message, iteration], `at iteration ${iteration}`, [runId, stored, iteration]),
    );
  }

  llmCallStarted(runId: string, iteration: number, details: LlmCallDetails): Promise<void> {
    return this.#fire("onLlmCallStarted", [runId, iteration, details], `at iteration ${iteration}`);
  }

  llmCallCompleted(runId: string, response: LLMResponse, iteration: number, details: LlmCallCompletedDetails): Promise<void> {
    this.lastReasoning = typeof response.reasoning === "string" && response.reasoning !== "" ? response.reasoning : null;
    const guard = this.#redacting;
    if (!guard) return this.#fire("onLlmCallCompleted", [runId, response, iteration, details], `at iteration ${iteration}`);
    return this.#llmCallCompletedRedacted(guard, runId, response, iteration, details);
  }

  async #llmCallCompletedRedacted(guard: GuardEngine, runId: string, response: LLMResponse, iteration: number, details: LlmCallCompletedDetails): Promise<void> {
    // Everything the model wrote (answer, tool arguments, reasoning, the vendor's payloads) is stored redacted.
    const redactedResponse: LLMResponse = {
      ...response,
      text: response.text === null ? null : await guard.redactText(response.text),
      toolCalls: response.toolCalls ? await Promise.all(response.toolCalls.map((c) => redactCall(guard, c))) : null,
      ...(typeof response.reasoning === "string" ? { reasoning: await guard.redactText(response.reasoning) } : {}),
      ...(response.providerRequest !== undefined ? { providerRequest: await guard.redactDeep(response.providerRequest) } : {}),
      ...(response.providerResponse !== undefined ? { providerResponse: await guard.redactDeep(response.providerResponse) } : {}),
    };
    const semanticMessages: Message[] = [];
    for (const m of details.semanticMessages) semanticMessages.push(await redactMessage(guard, m));
    const stored: HookArgs<"onLlmCallCompleted"> = [runId, redactedResponse, iteration, { ...details, semanticMessages }];
    return this.#fire("onLlmCallCompleted", [runId, response, iteration, details], `at iteration ${iteration}`, stored);
  }

  llmCallFailed(runId: string, iteration: number, error: unknown, durationMs: number): Promise<void> {
    return this.#fire("onLlmCallFailed", [runId, iteration, error, { durationMs }], `at iteration ${iteration}`);
  }

  toolStarted(runId: string, call: ToolCall, iteration: number): Promise<void> {
    const guard = this.#redacting;
    if (!guard) return this.#fire("onToolStarted", [runId, call, iteration], `at iteration ${iteration}`);
    return redactCall(guard, call).then((stored) => this.#fire("onToolStarted", [runId, call, iteration], `at iteration ${iteration}`, [runId, stored, iteration]));
  }

  toolCompleted(runId: string, call: ToolCall, result: ToolResult, iteration: number): Promise<void> {
    const guard = this.#redacting;
    if (!guard) return this.#fire("onToolCompleted", [runId, call, result, iteration], `at iteration ${iteration}`);
    return this.#toolCompletedRedacted(guard, runId, call, result, iteration);
  }

  async #toolCompletedRedacted(guard: GuardEngine, runId: string, call: ToolCall, result: ToolResult, iteration: number): Promise<void> {
    const redacted: ToolResult = {
      ...result,
      payload: await guard.redactText(result.payload),
      error: result.error ? await guard.redactText(result.error) : (result.error ?? null),
    };
    const stored: HookArgs<"onToolCompleted"> = [runId, await redactCall(guard, call), redacted, iteration];
    return this.#fire("onToolCompleted", [runId, call, result, iteration], `at iteration ${iteration}`, stored);
  }

  async governance(
    runId: string,
    eventType: string,
    iteration: number,
    data: Record<string, unknown>,
    correlationId: string | null = null,
  ): Promise<void> {
    const guard = this.#redacting;
    const stored: HookArgs<"onGovernanceEvent"> = [runId, eventType, iteration, guard ? await guard.redactDeep(data) : data, { correlationId }];
    return this.#fire("onGovernanceEvent", [runId, eventType, iteration, data, { correlationId }], `at iteration ${iteration}`, stored);
  }
}

/** A tool call as stored: the arguments the model wrote, redacted. */
export async function redactCall(guard: GuardEngine, call: ToolCall): Promise<ToolCall> {
  return Object.keys(call.params).length > 0 ? { ...call, params: await guard.redactDeep(call.params) } : call;
}

/** A message as stored: its text and the tool arguments it carries, redacted (provider-specific `meta` kept verbatim). */
export async function redactMessage(guard: GuardEngine, message: Message): Promise<Message> {
  const content = message.content ? await guard.redactText(message.content) : message.content;
  const toolCalls = message.toolCalls ? await Promise.all(message.toolCalls.map((c) => redactCall(guard, c))) : undefined;
  return { ...message, content, ...(toolCalls ? { toolCalls } : {}) };
}
