import type { RunState } from "../loops/loop.js";
import type { JournalOpening } from "./runner.js";
import type { RuntimeAgent } from "./runtime-agent.js";

/** Everything needed to create a run row. */
export interface CreateRunInput {
  readonly runId: string;
  readonly agent: RuntimeAgent;
  readonly userInput: string;
  readonly systemPrompt: string;
  readonly metadata: Record<string, unknown> | null;
  readonly tenantId: string | null;
  readonly parentRunId: string | null;
  readonly delegationLevel: number;
  readonly maxDelegationDepth: number | null;
  readonly outputTypeName: string | null;
  readonly idempotencyKey: string | null;
  readonly idempotencyFingerprint: string | null;
  readonly state: RunState;
  readonly controller: AbortController;
}

/**
 * The database seen from the runtime. Implemented by `store/`, the only layer
 * that writes SQL; the runtime never learns which engine is underneath.
 */
export interface Persistence {
  /** Engine + location without secrets: runs link to parents only within one identity. */
  readonly identity: string;
  createRun(input: CreateRunInput): Promise<JournalOpening>;
  close(): Promise<void>;
}
