import type { ZodType } from "zod";
import { ValidationError } from "../errors/validation-error.js";
import type { LLMProvider, ProviderCallOptions } from "../llm/provider.js";
import type { Loop } from "../loops/loop.js";
import type { ResumeInput } from "../runtime/resume.js";
import type { Strategy } from "../strategies/strategy.js";
import type { AnyTool } from "../tool/tool.js";
import type { Notifier } from "../types/notifier.js";
import type { ToolResult } from "../types/tool-call.js";
import type { ToolSource } from "../types/tool-source.js";
import type { Guardrail } from "../types/guardrail.js";
import type { Skill } from "../skills/skill.js";
import type { Budget } from "./budget.js";
import type { ChatMessage } from "./chat-message.js";
import type { ContextBlock } from "./context-block.js";

export interface AgentOptions {
  /** Stored on every run; a resume must come from an agent with the same name. @default "Agent" */
  readonly name?: string;
  /** A provider instance, or a recipe string such as `"anthropic:claude-haiku-4-5"`. */
  readonly provider: LLMProvider | string;
  /** The system prompt. Required. */
  readonly prompt: string;
  readonly tools?: readonly AnyTool[];
  /** `sqlite:///app.db`, `postgres://…`, … Falls back to `DENDRUX_DATABASE_URL`; none = in-memory runs. */
  readonly databaseUrl?: string;
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
  /** Structured output schema (SingleCall only); can also be given per run. */
  readonly outputType?: ZodType;
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
}

export interface RetryOptions extends Omit<ProviderCallOptions, "signal"> {
  readonly tenantId?: string;
  readonly metadata?: Record<string, unknown>;
  readonly notifier?: Notifier;
}

export interface SubmitOptions {
  readonly notifier?: Notifier;
}

export interface ApprovalDecision {
  readonly approved: boolean;
  /** Sent to the model as each rejected call's result. */
  readonly rejectionReason?: string | null;
}

export interface ResumeOptions extends SubmitOptions {
  readonly toolResults?: readonly ToolResult[];
  readonly userInput?: string;
}

export function resumeInput(options: ResumeOptions): ResumeInput {
  if (options.toolResults !== undefined && options.userInput !== undefined) {
    throw new ValidationError({ field: "toolResults", message: "Cannot provide both toolResults and userInput to resume()." });
  }
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
