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
import { ProviderNotConfiguredError } from "../errors/provider-not-configured-error.js";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import { isTerminalStatus } from "../types/run-status.js";
import type { ToolResult } from "../types/tool-call.js";
import { RunStream } from "../runtime/run-stream.js";
import { driveRun, RunFailure, type RunPlan } from "../runtime/runner.js";
import type { RuntimeAgent } from "../runtime/runtime-agent.js";
import { NativeToolCalling } from "../strategies/native-tool-calling.js";
import type { ListedTool, ToolDef } from "../types/tool-call.js";
import type { RunEvent } from "../types/run-event.js";
import type { RunResult } from "../types/run-result.js";
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
import { AgentDatabase, resolveDatabaseSource } from "./database-source.js";
import { type Discovered, type DiscoveredAgent, discoverTools, sortedToolDefs } from "./discover-tools.js";
import type { ToolSource } from "../types/tool-source.js";
import { logger } from "../util/logger.js";

/** An agent's definition: everything but the provider. */
type AgentDefinition = Omit<RuntimeAgent, "provider" | "model">;

const AGENT_DEFAULTS = { name: "Agent", maxIterations: 10, heartbeatMs: 10_000, recordWithinMs: 100 } as const;

/**
 * An agent: a prompt, tools and a provider, run by a loop. Runs can pause for
 * approvals, human input or client-side tools and, with a database, be resumed
 * by id from any process.
 *
 * `TOutput` is the type of `result.output`, inferred from the agent's
 * `outputType` (a zod schema, SingleCall only); `unknown` without one.
 *
 * @example
 * await using agent = new Agent({ provider: new MockLLM(["Hi!"]), prompt: "Be brief." });
 * const result = await agent.run("Hello");
 *
 * @example
 * const classifier = new Agent({ provider, prompt: "Classify.", loop: new SingleCall(), outputType: z.object({ label: z.string() }) });
 * const { output } = await classifier.run("I love it"); // output: { label: string } | undefined
 */
export class Agent<TOutput = unknown> implements AsyncDisposable {
  /** What the agent is, with or without a provider. */
  readonly #definition: AgentDefinition;
  /** The runtime view; `null` for an agent without a provider (it can only cancel runs). */
  readonly #agent: RuntimeAgent | null;
  readonly #database: AgentDatabase;
  readonly #inFlight = new Map<string, AbortController>();
  readonly #toolSources: readonly ToolSource[];
  readonly #rules: { readonly deny: readonly string[]; readonly requireApproval: readonly string[] };
  #discovery: Promise<Discovered<AgentDefinition>> | null = null;
  readonly #initEvents: readonly { readonly type: string; readonly data: Record<string, unknown> }[];

  constructor(options: AgentOptions<TOutput>) {
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
      recordWithinMs: options.recordWithinMs,
    });
    this.#toolSources = [...(options.toolSources ?? [])];
    this.#rules = { deny: [...deny], requireApproval: [...requireApproval] };
    const provider = options.provider === undefined || options.provider === null ? null : resolveProvider(options.provider);
    this.#database = new AgentDatabase(resolveDatabaseSource(options));
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
    this.#definition = Object.freeze({
      name,
      systemPrompt: skills.systemPrompt,
      tools: toolMap,
      toolDefs: sortedToolDefs(allTools),
      deny: new Set(deny),
      requireApproval: new Set(requireApproval),
      budget: options.budget ?? null,
      maxIterations,
      loop,
      strategy: options.strategy ?? new NativeToolCalling(),
      maxDelegationDepth: options.maxDelegationDepth,
      outputType: options.outputType ?? null,
      guardrails: Object.freeze([...(options.guardrails ?? [])]),
      heartbeatMs: options.heartbeatMs ?? AGENT_DEFAULTS.heartbeatMs,
      recordWithinMs: options.recordWithinMs ?? AGENT_DEFAULTS.recordWithinMs,
    });
    this.#agent = provider ? Object.freeze({ ...this.#definition, provider, model: provider.model }) : null;
  }

  get name(): string {
    return this.#definition.name;
  }

  /** The system prompt the model gets (with the skills catalogue, when the agent has skills). */
  getSystemPrompt(): string {
    return this.#definition.systemPrompt;
  }

  /**
   * The definitions of the agent's own tools (skills' included), sorted by
   * name. Tool sources' tools are discovered on demand: `listTools()` lists
   * them all.
   */
  getToolDefs(): readonly ToolDef[] {
    return this.#definition.toolDefs;
  }

  /**
   * Every tool the model is offered, sorted by name, each with the tool
   * source it came from (`null` for the agent's own). Connects the tool
   * sources (MCP servers) if no run has yet: the same discovery a run uses,
   * kept until `close()`, so the next run does not connect again. Works
   * without a provider. Rejects, like a run would, when a source fails or
   * offers a name that clashes.
   *
   * @example
   * const tools = await agent.listTools();
   * tools.filter((t) => t.source === "files").map((t) => t.name); // ["files__read_text_file", …]
   */
  async listTools(): Promise<readonly ListedTool[]> {
    const { agent, sources } = await this.#discover();
    const sourceOf = new Map(sources.flatMap((s) => s.toolNames.map((name) => [name, s.name] as const)));
    return Object.freeze(agent.toolDefs.map((def) => Object.freeze({ ...def, source: sourceOf.get(def.name) ?? null })));
  }

  /** The provider's configured model; `""` for an agent without a provider. */
  get model(): string {
    return this.#agent?.model ?? "";
  }

  /** The provider; `null` for an agent built without one (it can only cancel runs). */
  get provider(): LLMProvider | null {
    return this.#agent?.provider ?? null;
  }

  get loop(): Loop {
    return this.#definition.loop;
  }

  /** The runtime view, for every method that runs the model; without a provider, a typed error naming the method. */
  #runtime(operation: string): RuntimeAgent {
    if (!this.#agent) throw new ProviderNotConfiguredError({ agentName: this.#definition.name, operation });
    return this.#agent;
  }

  /** The definition with its tool sources' tools, discovered once and cached until `close()`; a failure is retried next time. */
  #discover(): Promise<Discovered<AgentDefinition>> {
    if (this.#toolSources.length === 0) return Promise.resolve({ agent: this.#definition, sources: [] });
    if (!this.#discovery) {
      const discovery = discoverTools(this.#definition, this.#toolSources, this.#rules);
      discovery.catch(() => {
        if (this.#discovery === discovery) this.#discovery = null;
      });
      this.#discovery = discovery;
    }
    return this.#discovery;
  }

  /**
   * The runtime agent with its tool sources' tools (see `listTools()`).
   * @internal
   */
  resolveTools(): Promise<DiscoveredAgent> {
    let agent: RuntimeAgent;
    try {
      agent = this.#runtime("resolveTools");
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#toolSources.length === 0) return Promise.resolve({ agent, sources: [] });
    const { provider, model } = agent;
    return this.#discover().then(({ agent: discovered, sources }) => ({ agent: Object.freeze({ ...discovered, provider, model }), sources }));
  }

  /** @internal The write side of the agent's database; `null` for in-memory runs. A failed open is retried on the next call. */
  persistence(): Promise<Persistence | null> {
    return this.#database.persistence();
  }

  /**
   * Runs the agent to its next stop: a final answer, a pause, a cancel or the
   * iteration limit. Throws when the run fails (after recording it as `error`).
   * `result.output` has the type of the run's `outputType`, else the agent's.
   */
  async run<T = TOutput>(userInput: string, options: RunOptions<T> = {}): Promise<RunResult<T>> {
    const { plan, frame } = this.#plan("run", userInput, options, false);
    return this.#drive(plan, frame) as Promise<RunResult<T>>;
  }

  /**
   * Starts a new run that continues a finished one (error, cancelled,
   * max_iterations or success) from its recorded conversation. The new run
   * records `retry_of_run_id`; the source run is left untouched.
   */
  async retry(runId: string, options: RetryOptions = {}): Promise<RunResult<TOutput>> {
    checkRunId(runId);
    this.#runtime("retry");
    const persistence = await this.#requirePersistence();
    const source = await loadRetrySource(persistence, runId);
    const { plan, frame } = this.#plan("retry", source.userInput, { ...options }, false, { history: source.history, retryOf: runId, piiMapping: source.piiMapping });
    return this.#drive(plan, frame) as Promise<RunResult<TOutput>>;
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
  stream<T = TOutput>(userInput: string, options: RunOptions<T> = {}): RunStream<T> {
    if (options.idempotencyKey !== undefined) {
      throw new ValidationError({ field: "idempotencyKey", message: "idempotencyKey is not supported with stream(); use run()." });
    }
    const { plan, frame } = this.#plan("stream", userInput, options, true);
    const runId = plan.runId;
    const inFlight = this.#inFlight;
    return new RunStream<T>(
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
    operation: string,
    userInput: string,
    options: RunOptions,
    streaming: boolean,
    seed?: RunSeed,
  ): { plan: RunPlan; frame: DelegationFrame } {
    return planRun(
      {
        agent: this.#runtime(operation),
        hasDatabase: this.#database.configured,
        storeIdentity: this.#database.identity,
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

  async #resumeWith(operation: string, runId: string, input: ResumeInput, options: SubmitOptions, fallback = false): Promise<RunResult<TOutput>> {
    this.#runtime(operation);
    checkRunId(runId);
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
    return this.#drive(plan, frame(claimed.run)) as Promise<RunResult<TOutput>>;
  }

  /**
   * Answers the client-tool calls a run paused on and runs it to its next stop.
   * Every pending call must be answered exactly once.
   */
  submitToolResults(runId: string, results: readonly ToolResult[], options: SubmitOptions = {}): Promise<RunResult<TOutput>> {
    return this.#resumeWith("submitToolResults", runId, { kind: "tool_results", results }, options);
  }

  /** Answers a run waiting for human input and runs it to its next stop. */
  submitInput(runId: string, text: string, options: SubmitOptions = {}): Promise<RunResult<TOutput>> {
    if (typeof text !== "string") return Promise.reject(new ValidationError({ field: "text", message: "text must be a string." }));
    return this.#resumeWith("submitInput", runId, { kind: "user_input", text }, options);
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
  submitApproval(runId: string, decision: ApprovalDecision, options: SubmitOptions = {}): Promise<RunResult<TOutput>> {
    let input: ResumeInput;
    try {
      input = approvalInput(decision);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#resumeWith("submitApproval", runId, input, options);
  }

  /**
   * Resumes a paused run: with `toolResults` (client tools, or a rejection of
   * an approval), with `userInput`, or with neither (approves an approval).
   */
  resume(runId: string, options: ResumeOptions = {}): Promise<RunResult<TOutput>> {
    let input: ResumeInput;
    try {
      input = resumeInput(options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#resumeWith("resume", runId, input, options, true);
  }

  /** `resume`, streamed. Errors (including a lost claim) arrive as `run_error`. */
  resumeStream(runId: string, options: ResumeOptions = {}): RunStream<TOutput> {
    this.#runtime("resumeStream");
    const input = resumeInput(options);
    let frame: DelegationFrame | null = null;
    const setFrame = (f: DelegationFrame) => {
      frame = f;
    };
    return new RunStream<TOutput>(runId, () => this.#resumeStreamSource(runId, input, options, setFrame), () => frame);
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
    checkRunId(runId);
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
   * Closes the tool sources, the provider and the agent's own database pool
   * (from `databaseUrl`). A shared `store` and the process-wide pool of
   * `DENDRUX_DATABASE_URL` are never closed here: whoever opened a store
   * closes it. The agent can be used again afterwards (a new pool is opened
   * on demand).
   */
  async close(): Promise<void> {
    this.#discovery = null;
    await Promise.all(this.#toolSources.map((s) => s.close().catch((error: unknown) => logger.warn(`Closing tool source '${s.name}' failed`, error))));
    await this.#agent?.provider.close?.();
    await this.#database.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A run id is a non-empty string; one with a NUL character cannot exist (PostgreSQL text refuses it). */
function checkRunId(runId: unknown): asserts runId is string {
  if (typeof runId !== "string" || runId.length === 0 || runId.includes("\u0000")) {
    throw new ValidationError({ field: "runId", message: "runId must be a non-empty string without NUL characters." });
  }
}
