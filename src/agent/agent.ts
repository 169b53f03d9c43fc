import { ValidationError } from "../errors/validation-error.js";
import { isPlainObject } from "../util/is-plain-object.js";
import type { LLMProvider } from "../llm/provider.js";
import type { Loop } from "../loops/loop.js";
import { ReActLoop } from "../loops/react-loop.js";
import { type DelegationFrame, runInDelegation } from "../runtime/delegation.js";
import type { Persistence } from "../runtime/persistence.js";
import { loadRetrySource } from "../runtime/retry.js";
import { claimForResume, type ResumeInput, resultFromStoredRun, resumePlan } from "../runtime/resume.js";
import { PersistenceNotConfiguredError } from "../errors/persistence-not-configured-error.js";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import { isTerminalStatus } from "../types/run-status.js";
import type { ToolResult } from "../types/tool-call.js";
import { RunStream } from "../runtime/run-stream.js";
import { driveRun, RunFailure, type RunPlan } from "../runtime/runner.js";
import type { RuntimeAgent } from "../runtime/runtime-agent.js";
import { NativeToolCalling } from "../strategies/native-tool-calling.js";
import { toToolDef } from "../tool/tool.js";
import type { ToolDef } from "../types/tool-call.js";
import type { RunEvent } from "../types/run-event.js";
import type { RunResult } from "../types/run-result.js";
import { databaseIdentity, parseDatabaseUrl } from "../store/database-url.js";
import {
  type AgentOptions,
  type ApprovalDecision,
  approvalInput,
  type ResumeOptions,
  type RetryOptions,
  type RunOptions,
  type SubmitOptions,
  resumeInput,
} from "./agent-options.js";
import { loadSkills } from "./load-skills.js";
import { planRun, type RunSeed } from "./plan-run.js";
import { resolveProvider } from "./resolve-provider.js";
import { validateAgentOptions } from "./validate-agent-options.js";
import { type DiscoveredAgent, discoverTools } from "./discover-tools.js";
import type { ToolSource } from "../types/tool-source.js";
import { logger } from "../util/logger.js";

const AGENT_DEFAULTS = { name: "Agent", maxIterations: 10, heartbeatMs: 10_000 } as const;

/** `databaseUrl`, else `DENDRUX_DATABASE_URL`; an empty one is a mistake, never "no database". */
function databaseUrlOf(option: string | undefined): string | null {
  if (option !== undefined) {
    if (typeof option !== "string" || option.trim() === "") {
      throw new ValidationError({ field: "databaseUrl", message: "databaseUrl is empty. Pass a database URL (sqlite:///app.db, postgresql://…), or leave it out for in-memory runs." });
    }
    return option;
  }
  const fromEnv = process.env.DENDRUX_DATABASE_URL;
  if (fromEnv === undefined) return null;
  if (fromEnv.trim() === "") {
    throw new ValidationError({ field: "databaseUrl", message: "DENDRUX_DATABASE_URL is set but empty. Set it to a database URL, or unset it for in-memory runs." });
  }
  return fromEnv;
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
  readonly #toolSources: readonly ToolSource[];
  readonly #rules: { readonly deny: readonly string[]; readonly requireApproval: readonly string[] };
  #discovery: Promise<DiscoveredAgent> | null = null;
  readonly #initEvents: readonly { readonly type: string; readonly data: Record<string, unknown> }[];

  constructor(options: AgentOptions) {
    if (!isPlainObject(options)) throw new ValidationError({ field: "options", message: "Agent options must be an object." });
    // `class Support extends Agent` names its runs "Support" unless a name is given.
    const name = options.name ?? (new.target !== Agent ? new.target.name : AGENT_DEFAULTS.name);
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
      toolSources: options.toolSources ?? [],
      guardrails: options.guardrails ?? [],
      heartbeatMs: options.heartbeatMs,
    });
    this.#toolSources = [...(options.toolSources ?? [])];
    this.#rules = { deny: [...deny], requireApproval: [...requireApproval] };
    const provider = resolveProvider(options.provider);
    this.#databaseUrl = databaseUrlOf(options.databaseUrl);
    this.#sharedDatabase = options.databaseUrl === undefined && this.#databaseUrl !== null;
    this.#storeIdentity = this.#databaseUrl ? databaseIdentity(parseDatabaseUrl(this.#databaseUrl)) : null;
    const skills = loadSkills(`Agent '${name}'`, options.prompt, {
      ...(options.skillsDir !== undefined ? { skillsDir: options.skillsDir } : {}),
      ...(options.skills ? { skills: options.skills } : {}),
      ...(options.denySkills ? { denySkills: options.denySkills } : {}),
      supportsTools: loop.supportsTools,
      toolNames: tools.map((t) => t.name),
    });
    this.#initEvents = skills.initEvents;
    const allTools = [...tools, ...skills.tools];
    const toolMap = new Map(allTools.map((t) => [t.name, t]));
    this.#agent = Object.freeze({
      name,
      systemPrompt: skills.systemPrompt,
      tools: toolMap,
      toolDefs: Object.freeze(allTools.map(toToolDef).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))),
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
      guardrails: Object.freeze([...(options.guardrails ?? [])]),
      heartbeatMs: options.heartbeatMs ?? AGENT_DEFAULTS.heartbeatMs,
    });
  }

  get name(): string {
    return this.#agent.name;
  }

  /** The system prompt the model gets (with the skills catalogue, when the agent has skills). */
  getSystemPrompt(): string {
    return this.#agent.systemPrompt;
  }

  /** The tool definitions the model sees, sorted by name (tool sources' tools are added when a run discovers them). */
  getToolDefs(): readonly ToolDef[] {
    return this.#agent.toolDefs;
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

  /**
   * The agent with its tool sources' tools, discovered once and cached until
   * `close()`. A failed discovery is retried on the next run.
   * @internal
   */
  resolveTools(): Promise<DiscoveredAgent> {
    if (this.#toolSources.length === 0) return Promise.resolve({ agent: this.#agent, sources: [] });
    if (!this.#discovery) {
      const discovery = discoverTools(this.#agent, this.#toolSources, this.#rules);
      discovery.catch(() => {
        if (this.#discovery === discovery) this.#discovery = null;
      });
      this.#discovery = discovery;
    }
    return this.#discovery;
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
    const { plan, frame } = this.#plan(source.userInput, { ...options }, false, { history: source.history, retryOf: runId, piiMapping: source.piiMapping });
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
    seed?: RunSeed,
  ): { plan: RunPlan; frame: DelegationFrame } {
    return planRun(
      {
        agent: this.#agent,
        hasDatabase: this.#databaseUrl !== null,
        storeIdentity: this.#storeIdentity,
        persistence: () => this.persistence(),
        inFlight: this.#inFlight,
        initEvents: this.#initEvents,
        resolveTools: this.#toolSources.length > 0 ? () => this.resolveTools() : undefined,
      },
      userInput,
      options,
      streaming,
      seed,
    );
  }

  async #requirePersistence(): Promise<Persistence> {
    const persistence = await this.persistence();
    if (!persistence) throw new PersistenceNotConfiguredError();
    return persistence;
  }

  async #resumeWith(runId: string, input: ResumeInput, options: SubmitOptions, fallback = false): Promise<RunResult> {
    if (typeof runId !== "string" || runId.length === 0) throw new ValidationError({ field: "runId", message: "runId must be a non-empty string." });
    const persistence = await this.#requirePersistence();
    // The pending calls are checked against every tool the agent has, its sources' included.
    const { agent } = await this.resolveTools();
    const claimed = await claimForResume(persistence, agent, runId, input, { allowApprovalFallback: fallback });
    const controller = new AbortController();
    this.#inFlight.set(runId, controller);
    const { plan, frame } = resumePlan({
      persistence,
      agent,
      runId,
      claim: async () => claimed,
      notifier: options.notifier ?? null,
      streaming: false,
      controller,
    });
    return this.#drive(plan, frame(claimed.run));
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
   * Decides a run waiting for approval, for the whole batch (`{ approved }`)
   * or per call (`{ decisions: [{ callId, approved, reason? }] }`, every
   * pending call exactly once). Approved calls go through the tool batch like
   * any other call (limits, ordering, client and human pauses); a rejected
   * call gets a failed result with its reason (default "User declined to run
   * this tool."). One compare-and-set claims the run: of concurrent deciders,
   * exactly one wins.
   */
  submitApproval(runId: string, decision: ApprovalDecision, options: SubmitOptions = {}): Promise<RunResult> {
    let input: ResumeInput;
    try {
      input = approvalInput(decision);
    } catch (error) {
      return Promise.reject(error);
    }
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
    const { agent } = await this.resolveTools();
    const controller = new AbortController();
    let claimed = false;
    const built = resumePlan({
      persistence,
      agent,
      runId,
      claim: async () => {
        const result = await claimForResume(persistence, agent, runId, input, { allowApprovalFallback: true });
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
    this.#discovery = null;
    await Promise.all(this.#toolSources.map((s) => s.close().catch((error: unknown) => logger.warn(`Closing tool source '${s.name}' failed`, error))));
    await this.#agent.provider.close?.();
    if (persistence) await (await persistence.catch(() => null))?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
