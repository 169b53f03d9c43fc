import { AsyncLocalStorage } from "node:async_hooks";
import { DelegationDepthExceededError } from "../errors/delegation-depth-exceeded-error.js";
import { logger } from "../util/logger.js";

/** @default 10 — nesting allowed under a root run unless the agent says otherwise. */
export const DEFAULT_MAX_DELEGATION_DEPTH = 10;

/** The run a sub-agent is started from, visible to everything that run calls. */
export interface DelegationFrame {
  readonly runId: string;
  readonly level: number;
  /** `null` = unbounded. */
  readonly maxDepth: number | null;
  /** Identity of the parent's database, `null` when the parent is in memory. */
  readonly storeIdentity: string | null;
}

const storage = new AsyncLocalStorage<DelegationFrame>();

/** Warnings already given per parent run, so a fan-out of siblings warns once. */
const warnedByParent = new WeakMap<DelegationFrame, Set<string>>();

/** Logs `message` once per parent frame and kind. */
export function warnOncePerParent(parent: DelegationFrame, kind: string, message: string): void {
  let warned = warnedByParent.get(parent);
  if (!warned) warnedByParent.set(parent, (warned = new Set()));
  if (warned.has(kind)) return;
  warned.add(kind);
  logger.warn(message);
}

export function currentDelegation(): DelegationFrame | undefined {
  return storage.getStore();
}

export function runInDelegation<T>(frame: DelegationFrame, fn: () => T): T {
  return storage.run(frame, fn);
}

/**
 * Where a new run sits in the delegation tree. A child can only tighten its
 * parent's limit; exceeding it throws before anything is written.
 */
export function resolveDelegation(agentMaxDepth: number | null | undefined): {
  parent: DelegationFrame | undefined;
  level: number;
  maxDepth: number | null;
} {
  const parent = currentDelegation();
  if (!parent) {
    return { parent, level: 0, maxDepth: agentMaxDepth === undefined ? DEFAULT_MAX_DELEGATION_DEPTH : agentMaxDepth };
  }
  const level = parent.level + 1;
  if (parent.maxDepth !== null && level > parent.maxDepth) {
    throw new DelegationDepthExceededError({ delegationLevel: level, maxDepth: parent.maxDepth });
  }
  let maxDepth = parent.maxDepth;
  if (agentMaxDepth !== undefined) {
    const loosens = parent.maxDepth !== null && (agentMaxDepth === null || agentMaxDepth > parent.maxDepth);
    if (loosens) {
      warnOncePerParent(
        parent,
        "clamped",
        `maxDelegationDepth=${String(agentMaxDepth)} clamped to ${parent.maxDepth} for children of run ${parent.runId}: a child cannot loosen its parent's limit.`,
      );
    } else if (agentMaxDepth !== null) {
      maxDepth = agentMaxDepth;
    }
  }
  return { parent, level, maxDepth };
}
