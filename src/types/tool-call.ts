/**
 * Where a tool runs: on the server (executed by the loop), in the client (the
 * run pauses `waiting_client_tool` for its result) or by a human (the run
 * pauses `waiting_human_input` for an answer, as with `askHuman()`).
 */
export type ToolTarget = "server" | "client" | "human";

export const ToolTarget = { SERVER: "server", CLIENT: "client", HUMAN: "human" } as const satisfies Record<string, ToolTarget>;

/**
 * One tool call the model asked for. `id` is a dendrux-owned ULID, stable across
 * pause, resume and persistence; `providerToolCallId` is the vendor's own id
 * (`toolu_…`, `call_…`) and is only used to build the next vendor request.
 */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly params: Record<string, unknown>;
  readonly providerToolCallId: string | null;
}

/** The outcome of one tool call; `payload` becomes the tool message verbatim. */
export interface ToolResult {
  readonly name: string;
  /** The `ToolCall.id` this result answers (never the provider's id). */
  readonly callId: string;
  readonly payload: string;
  /** @default true */
  readonly success?: boolean;
  readonly error?: string | null;
  /** @default 0 */
  readonly durationMs?: number;
}

/** A tool definition as the model sees it. */
export interface ToolDef {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments object. */
  readonly parameters: Record<string, unknown>;
  readonly target: ToolTarget;
  readonly parallel: boolean;
  readonly maxCallsPerRun: number | null;
  readonly timeoutSeconds: number;
  readonly meta: Record<string, unknown>;
}

/** A tool as `agent.listTools()` lists it: its definition and where it comes from. */
export interface ListedTool extends ToolDef {
  /** The tool source that offered it (an `MCPServer`'s name, e.g. `"files"`); `null` for the agent's own tools. */
  readonly source: string | null;
}
