import type { ToolCall } from "./tool-call.js";

export type Role = "system" | "user" | "assistant" | "tool";

export const Role = {
  SYSTEM: "system",
  USER: "user",
  ASSISTANT: "assistant",
  TOOL: "tool",
} as const satisfies Record<string, Role>;

export type Placement = "stable" | "dynamic";

/**
 * One entry of the conversation a run builds on. Internal and universal: the
 * strategy turns these into a provider request; providers turn them into
 * vendor wire shapes.
 */
export interface Message {
  readonly role: Role;
  readonly content: string;
  /** Tool name, on tool messages. */
  readonly name?: string;
  /** Calls the assistant asked for, on assistant messages. */
  readonly toolCalls?: readonly ToolCall[];
  /** The answered `ToolCall.id`, on tool messages. */
  readonly callId?: string;
  readonly meta?: Readonly<Record<string, unknown>>;
  /** @default "chat" ("tool_result" for tool messages, "system" for system ones) */
  readonly kind?: string;
  /** `"stable"` marks a cache-friendly prefix. @default "dynamic" */
  readonly placement?: Placement;
  readonly source?: string | null;
}
