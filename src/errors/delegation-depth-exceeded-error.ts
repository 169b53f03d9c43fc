import { DendruxError } from "./dendrux-error.js";

/** A sub-agent run would nest deeper than `maxDelegationDepth` allows. */
export class DelegationDepthExceededError extends DendruxError {
  override readonly name = "DelegationDepthExceededError";
  readonly delegationLevel: number;
  readonly maxDepth: number;

  constructor({ delegationLevel, maxDepth }: { delegationLevel: number; maxDepth: number }) {
    super(
      `Delegation depth ${delegationLevel} exceeds maxDelegationDepth=${maxDepth}. ` +
        "Increase the limit or restructure the agent tree.",
    );
    this.delegationLevel = delegationLevel;
    this.maxDepth = maxDepth;
  }
}
