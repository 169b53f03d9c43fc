import { ValidationError } from "../errors/validation-error.js";
import { isPlainObject } from "../util/is-plain-object.js";
import { outputJsonSchema } from "../llm/shared/output-schema.js";
import type { RunState } from "../loops/loop.js";
import { outputTypeName } from "../loops/single-call.js";
import { type DelegationFrame, resolveDelegation, warnOncePerParent } from "../runtime/delegation.js";
import { computeFingerprint } from "./fingerprint.js";
import { foldContext, validateContext, validateHistory } from "./fold-context.js";
import type { Persistence } from "../runtime/persistence.js";
import { GuardEngine } from "../runtime/guard-engine.js";
import { MemoryJournal } from "../runtime/run-journal.js";
import type { JournalOpening, RunPlan } from "../runtime/runner.js";
import type { RuntimeAgent } from "../runtime/runtime-agent.js";
import type { Message } from "../types/message.js";
import { emptyUsage } from "../types/usage.js";
import { newId } from "../util/ulid.js";
import type { RunOptions } from "./agent-options.js";

/** What planning a run needs from its agent. */
export interface PlanEnvironment {
  readonly agent: RuntimeAgent;
  readonly hasDatabase: boolean;
  readonly storeIdentity: string | null;
  persistence(): Promise<Persistence | null>;
  /** Runs of this agent in flight, so `cancelRun` can abort them. */
  readonly inFlight: Map<string, AbortController>;
  /** Recorded at the start of every fresh run. */
  readonly initEvents: readonly { readonly type: string; readonly data: Record<string, unknown> }[];
  /** Discovers the agent's tool sources; absent when it has none. */
  readonly resolveTools: RunPlan["resolveTools"];
}

/** A run seeded from another run's conversation (`agent.retry`). */
export interface RunSeed {
  readonly history: Message[];
  readonly retryOf: string;
  /** The source run's PII mapping: its traces hold placeholders. */
  readonly piiMapping: Record<string, string>;
}

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


/**
 * Validates a run's input and options and builds its plan. Nothing is written
 * here: every check that can fail does so before the run exists.
 */
export function planRun(
env: PlanEnvironment,
userInput: string,
options: RunOptions,
streaming: boolean,
seed?: RunSeed,
): { plan: RunPlan; frame: DelegationFrame } {
  if (typeof userInput !== "string") {
    throw new ValidationError({ field: "userInput", message: `userInput must be a string, got ${typeof userInput}.` });
  }
  if (!isPlainObject(options)) throw new ValidationError({ field: "options", message: "run options must be an object." });
  const agent = env.agent;
  const outputType = options.outputType ?? agent.outputType;
  if (options.outputType !== undefined && agent.loop.name !== "SingleCall") {
    throw new ValidationError({
      field: "outputType",
      message: `outputType is only supported with the SingleCall loop, not ${agent.loop.name}. Set loop: new SingleCall() on the Agent.`,
    });
  }
  if (outputType) {
    const schema = outputJsonSchema(outputType);
    agent.provider.checkOutputSchema?.(schema);
  }
  if (options.metadata !== undefined && !isPlainObject(options.metadata)) {
    throw new ValidationError({ field: "metadata", message: "metadata must be a plain object of JSON values." });
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new ValidationError({ field: "signal", message: "signal must be an AbortSignal (e.g. AbortSignal.timeout(30_000) or an AbortController's signal)." });
  }
  if (options.tenantId !== undefined && typeof options.tenantId !== "string") {
    throw new ValidationError({ field: "tenantId", message: "tenantId must be a string." });
  }
  if (options.idempotencyKey !== undefined) {
    if (typeof options.idempotencyKey !== "string" || options.idempotencyKey.length === 0 || options.idempotencyKey.length > 255) {
      throw new ValidationError({ field: "idempotencyKey", message: "idempotencyKey must be a non-empty string of at most 255 characters." });
    }
    if (!env.hasDatabase) {
      throw new ValidationError({
        field: "idempotencyKey",
        message: "idempotencyKey requires persistence (databaseUrl, store or DENDRUX_DATABASE_URL). Idempotency cannot work without durable state.",
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
  env.inFlight.set(runId, controller);

  const hasSeed = (options.history?.length ?? 0) > 0 || (options.context?.length ?? 0) > 0;
  const history: Message[] = seed
    ? [...seed.history]
    : hasSeed
      ? foldContext(userInput, options.history, options.context)
      : [{ role: "user", content: userInput }];
  const state: RunState = { history, steps: [], iteration: 0, usage: emptyUsage(), budgetFired: [], piiMapping: { ...seed?.piiMapping }, pendingBatch: null };
  const providerOptions = Object.fromEntries(Object.entries(options).filter(([k]) => !RUN_OPTION_KEYS.has(k)));
  const typeName = outputType ? outputTypeName(outputType) : null;

  const guard = agent.guardrails.length > 0 ? new GuardEngine(agent.guardrails, state.piiMapping) : null;
  const openJournal = async (): Promise<JournalOpening> => {
    const persistence = await env.persistence();
    if (!persistence) return { journal: new MemoryJournal(controller.signal) };
    const key = options.idempotencyKey ?? null;
    return persistence.createRun({
      runId,
      agent,
      // Nothing unredacted at rest: the stored input and prompt go through the run's redaction.
      userInput: guard ? await guard.redactText(userInput) : userInput,
      systemPrompt: guard ? await guard.redactText(agent.systemPrompt) : agent.systemPrompt,
      metadata: options.metadata ?? null,
      tenantId: options.tenantId ?? null,
      parentRunId: linkToParent(delegation.parent, persistence.identity),
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
      // Recorded before any work when someone learns the id before the run ends (stream events,
      // notifier hooks), or when an idempotency key must be claimed first (a concurrent twin is refused at once).
      recordWithinMs: streaming || options.notifier || key ? 0 : agent.recordWithinMs,
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
    guard,
    initEvents: env.initEvents,
    ...(env.resolveTools ? { resolveTools: env.resolveTools } : {}),
  };
  const frame: DelegationFrame = {
    runId,
    level: delegation.level,
    maxDepth: delegation.maxDepth,
    storeIdentity: env.storeIdentity,
  };
  return { plan, frame };
}

/**
 * A child row points at its parent only when both live in the same database;
 * otherwise the link is skipped (the level still counts) and that is said once per parent.
 */
function linkToParent(parent: DelegationFrame | undefined, childStore: string): string | null {
  if (!parent) return null;
  if (parent.storeIdentity === childStore) return parent.runId;
  const why = parent.storeIdentity === null ? "parent run is not persisted" : "parent and child do not share the same state store";
  warnOncePerParent(parent, "link", `Delegation link skipped for child of run ${parent.runId}: ${why}.`);
  return null;
}
