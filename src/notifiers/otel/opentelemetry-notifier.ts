import { createRequire } from "node:module";
import type { Span, Tracer } from "@opentelemetry/api";
import type { LLMResponse } from "../../types/llm-response.js";
import type { LlmCallCompletedDetails, Notifier } from "../../types/notifier.js";
import type { RunResult } from "../../types/run-result.js";
import type { ToolCall, ToolResult } from "../../types/tool-call.js";
import { logger } from "../../util/logger.js";
import { pythonJsonDumps } from "../../util/python-json.js";

type OtelApi = typeof import("@opentelemetry/api");

export interface OpenTelemetryNotifierOptions {
  /** @default the global provider's tracer named "dendrux" */
  readonly tracer?: Tracer;
  /** Record tool arguments as `dendrux.tool.params` (JSON). @default false */
  readonly includeToolParams?: boolean;
  /** Record the model's answer as `gen_ai.completion`. @default false */
  readonly includeMessages?: boolean;
}

function loadApi(): OtelApi {
  try {
    return createRequire(import.meta.url)("@opentelemetry/api") as OtelApi;
  } catch {
    throw new Error('OpenTelemetryNotifier needs the "@opentelemetry/api" package. Install it: npm install @opentelemetry/api');
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Traces runs with OpenTelemetry's GenAI conventions: `invoke_agent <name>`
 * per run segment, with `chat <model>` and `execute_tool <name>` children and
 * governance decisions as span events. Spans are never made current, and a
 * broken tracer never fails a run. Only `@opentelemetry/api` is needed; the
 * SDK and exporters belong to the host.
 */
export class OpenTelemetryNotifier implements Notifier {
  readonly #api: OtelApi;
  readonly #tracer: Tracer;
  readonly #includeToolParams: boolean;
  readonly #includeMessages: boolean;
  readonly #runs = new Map<string, { span: Span; model: string }>();
  readonly #chats = new Map<string, Span>();
  readonly #tools = new Map<string, Span>();

  constructor(options: OpenTelemetryNotifierOptions = {}) {
    this.#api = loadApi();
    this.#tracer = options.tracer ?? this.#api.trace.getTracer("dendrux");
    this.#includeToolParams = options.includeToolParams ?? false;
    this.#includeMessages = options.includeMessages ?? false;
  }

  #safely(hook: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      logger.warn(`OpenTelemetryNotifier.${hook} failed`, error);
    }
  }

  /** Children get the run span as explicit parent; without one they start as roots. */
  #childContext(runId: string) {
    const run = this.#runs.get(runId);
    return run ? this.#api.trace.setSpan(this.#api.ROOT_CONTEXT, run.span) : this.#api.ROOT_CONTEXT;
  }

  #closeOrphans(runId: string, status: string, error?: unknown): void {
    const reason = `run terminated as ${status} before child completed`;
    const { SpanStatusCode } = this.#api;
    for (const [key, span] of [...this.#chats, ...this.#tools]) {
      if (!key.startsWith(`${runId}\u0000`)) continue;
      span.setAttribute("dendrux.span.orphan_close_reason", reason);
      if (this.#tools.has(key)) span.setAttribute("dendrux.tool.success", false);
      else if (error !== undefined) span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
      span.end();
      this.#chats.delete(key);
      this.#tools.delete(key);
    }
  }

  onRunStarted(runId: string, info: { agentName: string; agentModel: string }): void {
    this.#safely("onRunStarted", () => {
      const span = this.#tracer.startSpan(info.agentName ? `invoke_agent ${info.agentName}` : "invoke_agent", {
        attributes: {
          "gen_ai.operation.name": "invoke_agent",
          "dendrux.framework": "dendrux",
          "dendrux.run.id": runId,
          ...(info.agentName ? { "gen_ai.agent.name": info.agentName } : {}),
        },
      });
      this.#runs.set(runId, { span, model: info.agentModel });
    });
  }

  onRunFinished(runId: string, result: RunResult): void {
    this.#safely("onRunFinished", () => {
      this.#closeOrphans(runId, result.status);
      const run = this.#runs.get(runId);
      if (!run) return;
      run.span.setAttribute("dendrux.run.status", result.status);
      run.span.setStatus({ code: this.#api.SpanStatusCode.OK });
      run.span.end();
      this.#runs.delete(runId);
    });
  }

  onRunFailed(runId: string, error: unknown, info: { iteration: number | null }): void {
    this.#safely("onRunFailed", () => {
      this.#closeOrphans(runId, "error", error);
      const run = this.#runs.get(runId);
      if (!run) return;
      run.span.recordException(error instanceof Error ? error : new Error(String(error)));
      run.span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: errorText(error) });
      if (info.iteration !== null) run.span.setAttribute("dendrux.run.iteration", info.iteration);
      run.span.end();
      this.#runs.delete(runId);
    });
  }

  onLlmCallStarted(runId: string, iteration: number): void {
    this.#safely("onLlmCallStarted", () => {
      const model = this.#runs.get(runId)?.model;
      const span = this.#tracer.startSpan(
        model ? `chat ${model}` : "chat",
        {
          attributes: {
            "gen_ai.operation.name": "chat",
            "dendrux.run.id": runId,
            "dendrux.run.iteration": iteration,
            ...(model ? { "gen_ai.request.model": model } : {}),
          },
        },
        this.#childContext(runId),
      );
      this.#chats.set(`${runId}\u0000${iteration}`, span);
    });
  }

  onLlmCallCompleted(runId: string, response: LLMResponse, iteration: number, details: LlmCallCompletedDetails): void {
    this.#safely("onLlmCallCompleted", () => {
      const key = `${runId}\u0000${iteration}`;
      const span = this.#chats.get(key);
      if (!span) return;
      span.setAttribute("gen_ai.usage.input_tokens", response.usage.inputTokens);
      span.setAttribute("gen_ai.usage.output_tokens", response.usage.outputTokens);
      span.setAttribute("dendrux.llm.duration_ms", details.durationMs);
      if (details.guardrailFindings) span.setAttribute("dendrux.guardrails.hit_count", Object.keys(details.guardrailFindings).length);
      if (this.#includeMessages && response.text) span.setAttribute("gen_ai.completion", response.text);
      span.setStatus({ code: this.#api.SpanStatusCode.OK });
      span.end();
      this.#chats.delete(key);
    });
  }

  onLlmCallFailed(runId: string, iteration: number, error: unknown, details: { durationMs: number }): void {
    this.#safely("onLlmCallFailed", () => {
      const key = `${runId}\u0000${iteration}`;
      const span = this.#chats.get(key);
      if (!span) return;
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setAttribute("dendrux.llm.duration_ms", details.durationMs);
      span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: errorText(error) });
      span.end();
      this.#chats.delete(key);
    });
  }

  onToolStarted(runId: string, call: ToolCall, iteration: number): void {
    this.#safely("onToolStarted", () => {
      const span = this.#tracer.startSpan(
        `execute_tool ${call.name}`,
        {
          attributes: {
            "gen_ai.operation.name": "execute_tool",
            "dendrux.run.id": runId,
            "dendrux.run.iteration": iteration,
            "dendrux.tool.name": call.name,
            "dendrux.tool.call_id": call.id,
            ...(this.#includeToolParams ? { "dendrux.tool.params": pythonJsonDumps(call.params) } : {}),
          },
        },
        this.#childContext(runId),
      );
      this.#tools.set(`${runId}\u0000${call.id}`, span);
    });
  }

  onToolCompleted(runId: string, call: ToolCall, result: ToolResult): void {
    this.#safely("onToolCompleted", () => {
      const key = `${runId}\u0000${call.id}`;
      const span = this.#tools.get(key);
      if (!span) return;
      const success = result.success !== false;
      span.setAttribute("dendrux.tool.success", success);
      span.setAttribute("dendrux.tool.duration_ms", result.durationMs ?? 0);
      const { SpanStatusCode } = this.#api;
      span.setStatus(success ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: result.error || "tool returned success=false" });
      span.end();
      this.#tools.delete(key);
    });
  }

  onGovernanceEvent(runId: string, eventType: string, iteration: number, data: Record<string, unknown>, info: { correlationId: string | null }): void {
    this.#safely("onGovernanceEvent", () => {
      const run = this.#runs.get(runId);
      if (!run) return;
      const attributes: Record<string, string | number | boolean> = { "dendrux.run.iteration": iteration };
      if (info.correlationId) attributes["dendrux.correlation_id"] = info.correlationId;
      for (const [key, value] of Object.entries(data)) {
        const scalar = typeof value === "string" || typeof value === "number" || typeof value === "boolean";
        attributes[`dendrux.governance.${key}`] = scalar ? value : pythonJsonDumps(value);
      }
      run.span.addEvent(`governance.${eventType}`, attributes);
    });
  }
}
