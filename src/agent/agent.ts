import type { ZodType } from "zod";
import { ValidationError } from "../errors/validation-error.js";
import type { LLMProvider, ProviderCallOptions } from "../llm/provider.js";
import type { Loop, RunState } from "../loops/loop.js";
import { ReActLoop } from "../loops/react-loop.js";
import { outputTypeName } from "../loops/single-call.js";
import { type DelegationFrame, resolveDelegation, runInDelegation } from "../runtime/delegation.js";
import { foldContext, validateContext, validateHistory } from "../runtime/fold-context.js";
import { computeFingerprint } from "../runtime/fingerprint.js";
import type { Persistence } from "../runtime/persistence.js";
import { loadRetrySource } from "../runtime/retry.js";
import { type ClaimedResume, claimForResume, type ResumeInput, resultFromStoredRun, resumePlan } from "../runtime/resume.js";
import { PersistenceNotConfiguredError } from "../errors/persistence-not-configured-error.js";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import { isTerminalStatus } from "../types/run-status.js";
import type { ToolResult } from "../types/tool-call.js";
import { MemoryJournal } from "../runtime/run-journal.js";
import { RunStream } from "../runtime/run-stream.js";
import { driveRun, RunFailure, type JournalOpening, type RunPlan } from "../runtime/runner.js";
import type { RuntimeAgent } from "../runtime/runtime-agent.js";
import { NativeToolCalling } from "../strategies/native-tool-calling.js";
import type { Strategy } from "../strategies/strategy.js";
import { type AnyTool, toToolDef } from "../tool/tool.js";
import type { Message } from "../types/message.js";
import type { Notifier } from "../types/notifier.js";
import type { RunEvent } from "../types/run-event.js";
import type { RunResult } from "../types/run-result.js";
import { emptyUsage } from "../types/usage.js";
import { databaseIdentity, parseDatabaseUrl } from "../store/database-url.js";
import { newId } from "../util/ulid.js";
import type { Budget } from "./budget.js";
import type { ChatMessage } from "./chat-message.js";
import type { ContextBlock } from "./context-block.js";
import { resolveProvider } from "./resolve-provider.js";
import { validateAgentOptions } from "./validate-agent-options.js";

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

function resumeInput(options: ResumeOptions): ResumeInput {
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

const AGENT_DEFAULTS = { name: "Agent", maxIterations: 10 } as const;
const RUN_OPTION_KEYS = new Set([
  "history",
  "context",
  "metadata",
  "tenantId",
  "notifier",
  "idempotencyKey",
  "outputType",
  "signal",
  "maxDelegationDepth",
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * An agent: a prompt, tools and a provider, run by a loop. Runs can pause for
 * approvals, human input or client-side tools and, with a database, be resumed
 * by id from any process.
 *
 * @example
 * await using agent = new Agent({ provider: new MockLLM(["Hi!"]), prompt: "Be brief." });
 * const result = await agent.run("Hello");
 */
export class Agent implements AsyncDisposable {
  readonly #agent: RuntimeAgent;
  readonly #databaseUrl: string | null;
  /** From `DENDRUX_DATABASE_URL`: a process-wide connection shared by agents and never closed by one. */
  readonly #sharedDatabase: boolean;
  readonly #storeIdentity: string | null;
  #persistence: Promise<Persistence | null> | null = null;
  readonly #inFlight = new Map<string, AbortController>();

  constructor(options: AgentOptions) {
    if (!isPlainObject(options)) throw new ValidationError({ field: "options", message: "Agent options must be an object." });
    const name = options.name ?? AGENT_DEFAULTS.name;
    const loop = options.loop ?? new ReActLoop();
    const tools = options.tools ?? [];
    const deny = options.deny ?? [];
    const requireApproval = options.requireApproval ?? [];
    const maxIterations = options.maxIterations ?? AGENT_DEFAULTS.maxIterations;
    validateAgentOptions({
      name,
      prompt: options.prompt,
      tools,
      loop,
      hasOutputType: options.outputType !== undefined,
      maxIterations,
      maxDelegationDepth: options.maxDelegationDepth,
      deny,
      requireApproval,
    });
    const provider = resolveProvider(options.provider);
    this.#databaseUrl = options.databaseUrl ?? process.env.DENDRUX_DATABASE_URL ?? null;
    this.#sharedDatabase = options.databaseUrl === undefined && this.#databaseUrl !== null;
    this.#storeIdentity = this.#databaseUrl ? databaseIdentity(parseDatabaseUrl(this.#databaseUrl)) : null;
    const toolMap = new Map(tools.map((t) => [t.name, t]));
    this.#agent = Object.freeze({
      name,
      systemPrompt: options.prompt,
      tools: toolMap,
      toolDefs: Object.freeze(tools.map(toToolDef).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))),
      deny: new Set(deny),
      requireApproval: new Set(requireApproval),
      budget: options.budget ?? null,
      maxIterations,
      loop,
      strategy: options.strategy ?? new NativeToolCalling(),
      provider,
      model: provider.model,
      maxDelegationDepth: options.maxDelegationDepth,
      outputType: options.outputType ?? null,
    });
  }

  get name(): string {
    return this.#agent.name;
  }

  /** The provider's configured model. */
  get model(): string {
    return this.#agent.model;
  }

  get provider(): LLMProvider {
    return this.#agent.provider;
  }

  get loop(): Loop {
    return this.#agent.loop;
  }

  /** @internal The frozen runtime view, for the store and the runtime. */
  get runtimeAgent(): RuntimeAgent {
    return this.#agent;
  }

  /** @internal */
  persistence(): Promise<Persistence | null> {
    if (!this.#databaseUrl) return Promise.resolve(null);
    if (!this.#persistence) {
      const url = this.#databaseUrl;
      const opening = import("../store/open-persistence.js").then((m) => (this.#sharedDatabase ? m.sharedPersistence(url) : m.openPersistence(url)));
      // A failed open (e.g. schema not migrated yet) is retried on the next call.
      opening.catch(() => {
        if (this.#persistence === opening) this.#persistence = null;
      });
      this.#persistence = opening;
    }
    return this.#persistence;
  }

  /**
   * Runs the agent to its next stop: a final answer, a pause, a cancel or the
   * iteration limit. Throws when the run fails (after recording it as `error`).
   */
  async run<TOutput = unknown>(userInput: string, options: RunOptions<TOutput> = {}): Promise<RunResult<TOutput>> {
    const { plan, frame } = this.#plan(userInput, options, false);
    return this.#drive(plan, frame) as Promise<RunResult<TOutput>>;
  }

  /**
   * Starts a new run that continues a finished one (error, cancelled,
   * max_iterations or success) from its recorded conversation. The new run
   * records `retry_of_run_id`; the source run is left untouched.
   */
  async retry(runId: string, options: RetryOptions = {}): Promise<RunResult> {
    const persistence = await this.#requirePersistence();
    const source = await loadRetrySource(persistence, runId);
    const { plan, frame } = this.#plan(source.userInput, { ...options }, false, { history: source.history, retryOf: runId });
    return this.#drive(plan, frame);
  }

  async #drive(plan: RunPlan, frame: DelegationFrame): Promise<RunResult> {
    const generator = driveRun(plan);
    try {
      const result = await runInDelegation(frame, async () => {
        while (true) {
          const next = await generator.next();
          if (next.done) return next.value;
        }
      });
      return result;
    } catch (error) {
      throw error instanceof RunFailure ? error.cause : error;
    } finally {
      this.#inFlight.delete(plan.runId);
    }
  }

  /**
   * Starts the run and streams its events. Not async: `stream.runId` is known
   * at once; the run starts on first iteration. Never throws after this call
   * returns — failures arrive as a `run_error` event.
   */
  stream(userInput: string, options: RunOptions = {}): RunStream {
    if (options.idempotencyKey !== undefined) {
      throw new ValidationError({ field: "idempotencyKey", message: "idempotencyKey is not supported with stream(); use run()." });
    }
    const { plan, frame } = this.#plan(userInput, options, true);
    const runId = plan.runId;
    const inFlight = this.#inFlight;
    return new RunStream(
      runId,
      async function* (): AsyncGenerator<RunEvent, RunResult, undefined> {
        try {
          return yield* driveRun(plan);
        } finally {
          inFlight.delete(runId);
        }
      },
      frame,
    );
  }

  #plan(
    userInput: string,
    options: RunOptions,
    streaming: boolean,
    seed?: { readonly history: Message[]; readonly retryOf: string },
  ): { plan: RunPlan; frame: DelegationFrame } {
    if (typeof userInput !== "string") {
      throw new ValidationError({ field: "userInput", message: `userInput must be a string, got ${typeof userInput}.` });
    }
    if (!isPlainObject(options)) throw new ValidationError({ field: "options", message: "run options must be an object." });
    const agent = this.#agent;
    const outputType = options.outputType ?? agent.outputType;
    if (options.outputType !== undefined && agent.loop.name !== "SingleCall") {
      throw new ValidationError({
        field: "outputType",
        message: `outputType is only supported with the SingleCall loop, not ${agent.loop.name}. Set loop: new SingleCall() on the Agent.`,
      });
    }
    if (streaming && outputType) {
      throw new ValidationError({ field: "outputType", message: "Structured output streaming is not supported. Use agent.run() for structured output." });
    }
    if (options.metadata !== undefined && !isPlainObject(options.metadata)) {
      throw new ValidationError({ field: "metadata", message: "metadata must be a plain object of JSON values." });
    }
    if (options.tenantId !== undefined && typeof options.tenantId !== "string") {
      throw new ValidationError({ field: "tenantId", message: "tenantId must be a string." });
    }
    if (options.idempotencyKey !== undefined) {
      if (typeof options.idempotencyKey !== "string" || options.idempotencyKey.length === 0 || options.idempotencyKey.length > 255) {
        throw new ValidationError({ field: "idempotencyKey", message: "idempotencyKey must be a non-empty string of at most 255 characters." });
      }
      if (!this.#databaseUrl) {
        throw new ValidationError({
          field: "idempotencyKey",
          message: "idempotencyKey requires persistence (databaseUrl or DENDRUX_DATABASE_URL). Idempotency cannot work without durable state.",
        });
      }
    }
    validateHistory(options.history);
    validateContext(options.context);
    const depthOption = options.maxDelegationDepth !== undefined ? options.maxDelegationDepth : agent.maxDelegationDepth;
    const delegation = resolveDelegation(depthOption);

    const runId = newId();
    const controller = new AbortController();
    const callerSignal = options.signal;
    if (callerSignal) {
      if (callerSignal.aborted) controller.abort(callerSignal.reason);
      else callerSignal.addEventListener("abort", () => controller.abort(callerSignal.reason), { once: true });
    }
    this.#inFlight.set(runId, controller);

    const hasSeed = (options.history?.length ?? 0) > 0 || (options.context?.length ?? 0) > 0;
    const history: Message[] = seed
      ? [...seed.history]
      : hasSeed
        ? foldContext(userInput, options.history, options.context)
        : [{ role: "user", content: userInput }];
    const state: RunState = { history, steps: [], iteration: 0, usage: emptyUsage(), budgetFired: [], piiMapping: {} };
    const providerOptions = Object.fromEntries(Object.entries(options).filter(([k]) => !RUN_OPTION_KEYS.has(k)));
    const typeName = outputType ? outputTypeName(outputType) : null;

    const openJournal = async (): Promise<JournalOpening> => {
      const persistence = await this.persistence();
      if (!persistence) return { journal: new MemoryJournal(controller.signal) };
      const key = options.idempotencyKey ?? null;
      return persistence.createRun({
        runId,
        agent,
        userInput,
        systemPrompt: agent.systemPrompt,
        metadata: options.metadata ?? null,
        tenantId: options.tenantId ?? null,
        parentRunId: delegation.parent?.storeIdentity && delegation.parent.storeIdentity === persistence.identity ? delegation.parent.runId : null,
        delegationLevel: delegation.level,
        maxDelegationDepth: delegation.maxDepth,
        outputTypeName: typeName,
        idempotencyKey: key,
        idempotencyFingerprint: key
          ? computeFingerprint({ agentName: agent.name, userInput, outputTypeName: typeName, history: options.history, context: options.context })
          : null,
        state,
        controller,
        retryOfRunId: seed?.retryOf ?? null,
      });
    };

    const plan: RunPlan = {
      runId,
      agent,
      state,
      initialMessage: seed ? null : { role: "user", content: userInput },
      firstEvent: "run_started",
      providerOptions,
      outputType,
      notifier: options.notifier ?? null,
      streaming,
      controller,
      callerSignal,
      openJournal,
    };
    const frame: DelegationFrame = {
      runId,
      level: delegation.level,
      maxDepth: delegation.maxDepth,
      storeIdentity: this.#storeIdentity,
    };
    return { plan, frame };
  }

  async #requirePersistence(): Promise<Persistence> {
    const persistence = await this.persistence();
    if (!persistence) throw new PersistenceNotConfiguredError();
    return persistence;
  }

  async #runClaimed(runId: string, claimed: ClaimedResume, persistence: Persistence, notifier: Notifier | undefined): Promise<RunResult> {
    const controller = new AbortController();
    this.#inFlight.set(runId, controller);
    const { plan, frame } = resumePlan({
      persistence,
      agent: this.#agent,
      runId,
      claim: async () => claimed,
      notifier: notifier ?? null,
      streaming: false,
      controller,
    });
    const generator = driveRun(plan);
    try {
      return await runInDelegation(frame(claimed.run), async () => {
        while (true) {
          const next = await generator.next();
          if (next.done) return next.value;
        }
      });
    } catch (error) {
      throw error instanceof RunFailure ? error.cause : error;
    } finally {
      this.#inFlight.delete(runId);
    }
  }

  async #resumeWith(runId: string, input: ResumeInput, options: SubmitOptions, fallback = false): Promise<RunResult> {
    if (typeof runId !== "string" || runId.length === 0) throw new ValidationError({ field: "runId", message: "runId must be a non-empty string." });
    const persistence = await this.#requirePersistence();
    const claimed = await claimForResume(persistence, this.#agent, runId, input, { allowApprovalFallback: fallback });
    return this.#runClaimed(runId, claimed, persistence, options.notifier);
  }

  /**
   * Answers the client-tool calls a run paused on and runs it to its next stop.
   * Every pending call must be answered exactly once.
   */
  submitToolResults(runId: string, results: readonly ToolResult[], options: SubmitOptions = {}): Promise<RunResult> {
    return this.#resumeWith(runId, { kind: "tool_results", results }, options);
  }

  /** Answers a run waiting for human input and runs it to its next stop. */
  submitInput(runId: string, text: string, options: SubmitOptions = {}): Promise<RunResult> {
    if (typeof text !== "string") return Promise.reject(new ValidationError({ field: "text", message: "text must be a string." }));
    return this.#resumeWith(runId, { kind: "user_input", text }, options);
  }

  /**
   * Decides a run waiting for approval. Approved: every pending call runs, then
   * the loop continues. Rejected: each pending call gets a failed result with
   * the reason (default "User declined to run this tool.").
   */
  submitApproval(runId: string, decision: ApprovalDecision, options: SubmitOptions = {}): Promise<RunResult> {
    if (!decision || typeof decision.approved !== "boolean") {
      return Promise.reject(new ValidationError({ field: "approved", message: "submitApproval needs { approved: boolean }." }));
    }
    if (decision.rejectionReason !== undefined && decision.rejectionReason !== null && typeof decision.rejectionReason !== "string") {
      return Promise.reject(new ValidationError({ field: "rejectionReason", message: "rejectionReason must be a string." }));
    }
    const input: ResumeInput = decision.approved ? { kind: "approve" } : { kind: "reject", reason: decision.rejectionReason ?? null };
    return this.#resumeWith(runId, input, options);
  }

  /**
   * Resumes a paused run: with `toolResults` (client tools, or a rejection of
   * an approval), with `userInput`, or with neither (approves an approval).
   */
  resume(runId: string, options: ResumeOptions = {}): Promise<RunResult> {
    let input: ResumeInput;
    try {
      input = resumeInput(options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#resumeWith(runId, input, options, true);
  }

  /** `resume`, streamed. Errors (including a lost claim) arrive as `run_error`. */
  resumeStream(runId: string, options: ResumeOptions = {}): RunStream {
    const input = resumeInput(options);
    let frame: DelegationFrame | null = null;
    const setFrame = (f: DelegationFrame) => {
      frame = f;
    };
    return new RunStream(runId, () => this.#resumeStreamSource(runId, input, options, setFrame), () => frame);
  }

  async *#resumeStreamSource(
    runId: string,
    input: ResumeInput,
    options: ResumeOptions,
    setFrame: (frame: DelegationFrame) => void,
  ): AsyncGenerator<RunEvent, RunResult, undefined> {
    const persistence = await this.#requirePersistence();
    const controller = new AbortController();
    let claimed = false;
    const built = resumePlan({
      persistence,
      agent: this.#agent,
      runId,
      claim: async () => {
        const result = await claimForResume(persistence, this.#agent, runId, input, { allowApprovalFallback: true });
        claimed = true;
        setFrame(built.frame(result.run));
        this.#inFlight.set(runId, controller);
        return result;
      },
      notifier: options.notifier ?? null,
      streaming: true,
      controller,
    });
    try {
      return yield* driveRun(built.plan);
    } finally {
      if (claimed) this.#inFlight.delete(runId);
    }
  }

  /**
   * Cancels a run. Paused: finalized `cancelled` at once. Running (here or in
   * another process): flagged; the run stops at its next iteration boundary,
   * and a run of this agent instance is also aborted. Finished: a no-op.
   * Returns the run as it is after the attempt.
   */
  async cancelRun(runId: string): Promise<RunResult> {
    const persistence = await this.#requirePersistence();
    const run = await persistence.getRun(runId);
    if (!run) throw new RunNotFoundError({ runId });
    if (isTerminalStatus(run.status)) return resultFromStoredRun(run);
    await persistence.requestCancel(runId);
    this.#inFlight.get(runId)?.abort(new Error(`Run ${runId} was cancelled.`));
    await persistence.cancelPaused(runId);
    const after = await persistence.getRun(runId);
    return resultFromStoredRun(after ?? run);
  }

  /**
   * Closes the provider and the agent's own database connection. The agent can
   * be used again afterwards (a new connection is opened on demand).
   */
  async close(): Promise<void> {
    const persistence = this.#sharedDatabase ? null : this.#persistence;
    this.#persistence = null;
    await this.#agent.provider.close?.();
    if (persistence) await (await persistence.catch(() => null))?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
