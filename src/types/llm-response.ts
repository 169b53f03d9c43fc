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
  /**
   * Vendor data to keep on the assistant message this response becomes, under
   * namespaced keys (`anthropic_thinking_blocks`). It travels with the run's
   * history, also through a pause, and only the adapter that wrote it reads it
   * back; no model ever sees it in any other form.
   */
  readonly assistantMeta?: Readonly<Record<string, unknown>>;
  /** The vendor request payload, recorded for audit. */
  readonly providerRequest?: unknown;
  /** The vendor response payload, recorded for audit. */
  readonly providerResponse?: unknown;
}
