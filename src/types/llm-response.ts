import type { ToolCall } from "./tool-call.js";
import type { UsageStats } from "./usage.js";

/** A provider's answer, normalised. */
export interface LLMResponse {
  readonly text: string | null;
  readonly toolCalls: readonly ToolCall[] | null;
  readonly usage: UsageStats;
  /** The model that actually answered. */
  readonly model?: string | null;
  /** Reasoning summary text, when the provider surfaces one. */
  readonly reasoning?: string | null;
  /** The vendor request payload, recorded for audit. */
  readonly providerRequest?: unknown;
  /** The vendor response payload, recorded for audit. */
  readonly providerResponse?: unknown;
}
