import type { ZodType } from "zod";
import type { LLMProvider } from "../llm/provider.js";
import type { Loop, LoopAgent } from "../loops/loop.js";
import type { Strategy } from "../strategies/strategy.js";
import type { Guardrail } from "../types/guardrail.js";

/** The frozen view of an `Agent` the runtime works with. */
export interface RuntimeAgent extends LoopAgent {
  readonly loop: Loop;
  readonly strategy: Strategy;
  readonly provider: LLMProvider;
  /** The provider's configured model (`agent_runs.model`). */
  readonly model: string;
  readonly maxDelegationDepth: number | null | undefined;
  readonly outputType: ZodType | null;
  /** Applied in list order; empty = none. */
  readonly guardrails: readonly Guardrail[];
  /** How often a running run renews its lease (`last_progress_at`), in milliseconds. */
  readonly heartbeatMs: number;
  /** How long a new run may wait for its first step's commit before its row is committed alone, in milliseconds. */
  readonly recordWithinMs: number;
}

/** `"{agentName}:{model}"`; `null` for an unnamed agent. Per-call model overrides do not change it. */
export function cacheKeyPrefix(agent: RuntimeAgent): string | null {
  return agent.name ? `${agent.name}:${agent.model}` : null;
}
