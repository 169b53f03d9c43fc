import type { ZodType } from "zod";
import { isPlainObject } from "../util/is-plain-object.js";
import { ValidationError } from "../errors/validation-error.js";
import type { LLMProvider, ProviderCallOptions } from "../llm/provider.js";
import type { Loop } from "../loops/loop.js";
import type { CallDecision, ResumeInput } from "../runtime/resume.js";
import type { Strategy } from "../strategies/strategy.js";
import type { AnyTool } from "../tool/tool.js";
import type { Notifier } from "../types/notifier.js";
import type { ToolResult } from "../types/tool-call.js";
import type { ToolSource } from "../types/tool-source.js";
import type { Guardrail } from "../types/guardrail.js";
import type { Skill } from "./skill.js";
import type { Budget } from "./budget.js";
import type { ChatMessage } from "./chat-message.js";
import type { ContextBlock } from "./context-block.js";
import type { DatabaseOptions } from "../store/database-options.js";
import type { StoreSource } from "../store/store-source.js";

export interface AgentOptions<TOutput = unknown> {
  /** Stored on every run; a resume must come from an agent with the same name. @default "Agent" */
  readonly name?: string;
  /**
   * A provider instance, or a recipe string such as `"anthropic:claude-haiku-4-5"`.
   * Without one the agent can only cancel runs (`cancelRun`); every method that
   * runs the model throws `ProviderNotConfiguredError`.
   */
  readonly provider?: LLMProvider | string | null;
  /** The system prompt. Required. */
  readonly prompt: string;
  readonly tools?: readonly AnyTool[];
  /**
   * `sqlite:///app.db`, `postgres://…`, … The agent opens its own pool on first
   * use and closes it in `close()`. Without `databaseUrl` and `store`, falls
   * back to `DENDRUX_DATABASE_URL` (one pool per process, shared by every such
   * agent); none = in-memory runs.
   */
  readonly databaseUrl?: string;
  /**
   * Options of the pool opened for `databaseUrl` (pool size, statement
   * timeout, …). Requires `databaseUrl`.
   */
  readonly databaseOptions?: DatabaseOptions;
  /**
   * A database shared with other agents: a `RunStore`
   * (`RunStore.fromDatabaseUrl(url, { databaseOptions })`) or a `Kysely`
   * instance. The agent writes through its pool and never closes it, so many
   * short-lived agents (one per web request) use one pool. Mutually exclusive
   * with `databaseUrl`.
   */
  readonly store?: StoreSource;
  /** 1..200. @default 10 */
  readonly maxIterations?: number;
  /** How deep sub-agents may nest below a run of this agent; `null` = unbounded. @default 10 */
  readonly maxDelegationDepth?: number | null;
  /** Tools that pause the run for a human's approval before they execute. */
  readonly requireApproval?: readonly string[];
  /** Tools the model may never run; it gets a denied result instead. */
  readonly deny?: readonly string[];
  readonly budget?: Budget;
  /** @default new ReActLoop() */
  readonly loop?: Loop;
  /** @default new NativeToolCalling() */
  readonly strategy?: Strategy;
  /**
   * Structured output schema (SingleCall only); can also be given per run. It
   * types the agent: `result.output` is `z.infer` of the schema.
   */
  readonly outputType?: ZodType<TOutput>;
  /** Remote tools (e.g. `new MCPServer(...)`), discovered on the first run; named `<source>__<tool>`. */
  readonly toolSources?: readonly ToolSource[];
  /** PII redaction, secret detection, prompt-injection patterns… applied in order (not with `stream()`). */
  readonly guardrails?: readonly Guardrail[];
  /** A directory of skill directories (each with a `SKILL.md`), loaded at construction. */
  readonly skillsDir?: string;
  /** Skills loaded with `Skill.fromDir`. */
  readonly skills?: readonly Skill[];
  /** Skill names to leave out (unknown names are ignored). */
  readonly denySkills?: readonly string[];
  /**
   * How often a persisted run renews its lease while it executes (refreshing
   * `last_progress_at`, noticing a cancel from another process). A sweep's
   * `staleRunningMs` must be several times larger. @default 10_000
   */
  readonly heartbeatMs?: number;
  /**
   * How long a new persisted run may go unrecorded. A run's row and
   * `run.started` are committed with its first step (before its first tool,
   * pause or end), so a quick first step costs one commit instead of two; a
   * run still in its first model call after this long is committed on its own,
   * so the dashboard and other processes see it. `0` commits every run before
   * its first model call. A run is always committed before its id is handed
   * out: with `stream()`, a `notifier` or an `idempotencyKey` it is committed
   * at once. @default 100
   */
  readonly recordWithinMs?: number;
}

export interface RetryOptions extends Omit<ProviderCallOptions, "signal"> {
  readonly tenantId?: string;
  readonly metadata?: Record<string, unknown>;
  readonly notifier?: Notifier;
}

export interface SubmitOptions {
  readonly notifier?: Notifier;
}

/** One decision on one pending call (`submitApproval(runId, { decisions })`). */
export interface CallApproval {
  /** The pending call's `ToolCall.id`. */
  readonly callId: string;
  readonly approved: boolean;
  /** Sent to the model as the rejected call's result. @default "User declined to run this tool." */
  readonly reason?: string | null;
}

/**
 * How a human decides a run waiting for approval: the whole batch at once
 * (`{ approved }`), or each pending call (`{ decisions }`, every pending call
 * exactly once).
 */
export type ApprovalDecision =
  | {
      readonly approved: boolean;
      /** Sent to the model as each rejected call's result. */
      readonly rejectionReason?: string | null;
      readonly decisions?: undefined;
    }
  | { readonly decisions: readonly CallApproval[]; readonly approved?: undefined; readonly rejectionReason?: undefined };

export interface ResumeOptions extends SubmitOptions {
  readonly toolResults?: readonly ToolResult[];
  readonly userInput?: string;
  /** Per-call approval decisions (as `submitApproval(runId, { decisions })`). */
  readonly decisions?: readonly CallApproval[];
}

export function resumeInput(options: ResumeOptions): ResumeInput {
  if (options === null || typeof options !== "object") throw new ValidationError({ field: "options", message: "resume() options must be an object." });
  const given = (["toolResults", "userInput", "decisions"] as const).filter((k) => options[k] !== undefined);
  if (given.length > 1) {
    throw new ValidationError({ field: given[0]!, message: `Cannot provide both ${given[0]} and ${given[1]} to resume().` });
  }
  if (options.decisions !== undefined) return approvalInput({ decisions: options.decisions });
  if (options.toolResults !== undefined) return { kind: "tool_results", results: options.toolResults };
  if (options.userInput !== undefined) {
    if (typeof options.userInput !== "string") throw new ValidationError({ field: "userInput", message: "userInput must be a string." });
    return { kind: "user_input", text: options.userInput };
  }
  return { kind: "approve" };
}

export interface RunOptions<TOutput = unknown> extends Omit<ProviderCallOptions, "signal"> {
  /** Earlier turns of the conversation, oldest first, ending with an assistant turn. */
  readonly history?: readonly ChatMessage[];
  readonly context?: readonly ContextBlock[];
  /** Free-form JSON stored on the run row (e.g. `thread_id`, `user_id`); filterable in `RunStore`. */
  readonly metadata?: Record<string, unknown>;
  readonly tenantId?: string;
  readonly notifier?: Notifier;
  /** Same key + same input returns the earlier finished run (needs a database). */
  readonly idempotencyKey?: string;
  /** SingleCall only. */
  readonly outputType?: ZodType<TOutput>;
  /** Aborting cancels the run (it is finalized `cancelled`) and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  readonly maxDelegationDepth?: number | null;
}


/** Validates an approval decision's shape (before anything is read or written). */
export function approvalInput(decision: ApprovalDecision): ResumeInput {
  if (!isPlainObject(decision)) throw new ValidationError({ field: "decision", message: "submitApproval needs { approved: boolean } or { decisions: [...] }." });
  const hasApproved = decision.approved !== undefined;
  const hasDecisions = decision.decisions !== undefined;
  if (hasApproved === hasDecisions) {
    throw new ValidationError({ field: "decision", message: "submitApproval takes either approved (the whole batch) or decisions (one per pending call), not both and not neither." });
  }
  if (hasApproved) {
    if (typeof decision.approved !== "boolean") throw new ValidationError({ field: "approved", message: "approved must be a boolean." });
    const reason = decision.rejectionReason;
    if (reason !== undefined && reason !== null && typeof reason !== "string") {
      throw new ValidationError({ field: "rejectionReason", message: "rejectionReason must be a string." });
    }
    return decision.approved ? { kind: "approve" } : { kind: "reject", reason: reason ?? null };
  }
  if (!Array.isArray(decision.decisions)) throw new ValidationError({ field: "decisions", message: "decisions must be an array of { callId, approved, reason? }." });
  const decisions: CallDecision[] = decision.decisions.map((d: unknown, i) => {
    const field = (name: string) => `decisions[${i}]${name ? `.${name}` : ""}`;
    if (!isPlainObject(d)) throw new ValidationError({ field: field(""), message: `${field("")} must be an object { callId, approved, reason? }.` });
    if (typeof d.callId !== "string" || d.callId.length === 0) throw new ValidationError({ field: field("callId"), message: `${field("callId")} must be a non-empty string.` });
    if (typeof d.approved !== "boolean") throw new ValidationError({ field: field("approved"), message: `${field("approved")} must be a boolean.` });
    if (d.reason !== undefined && d.reason !== null && typeof d.reason !== "string") {
      throw new ValidationError({ field: field("reason"), message: `${field("reason")} must be a string.` });
    }
    return { callId: d.callId, approved: d.approved, reason: (d.reason as string | null | undefined) ?? null };
  });
  return { kind: "decisions", decisions };
}
