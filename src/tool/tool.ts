import { z } from "zod";
import { ValidationError } from "../errors/validation-error.js";
import type { ToolDef, ToolTarget } from "../types/tool-call.js";

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const TOOL_MARKER = Symbol.for("dendrux.tool");

/** @default 120 — the reference's default tool timeout. */
export const DEFAULT_TOOL_TIMEOUT_SECONDS = 120;

/** What a tool's `execute` receives besides its parsed arguments. */
export interface ToolContext {
  readonly runId: string;
  /** The `ToolCall.id` being executed. */
  readonly callId: string;
  /** Aborted when the call times out or the run is cancelled. */
  readonly signal: AbortSignal;
}

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

export interface ToolOptions<TSchema extends ObjectSchema, TResult> {
  /** Unique per agent; `^[a-zA-Z0-9_-]{1,64}$`. */
  readonly name: string;
  readonly description: string;
  /** A zod object schema; its JSON Schema is what the model sees. */
  readonly parameters: TSchema;
  /**
   * `"client"` pauses the run `waiting_client_tool` for the result;
   * `"human"` pauses it `waiting_human_input` for a person's answer
   * (`submitInput`), shown the call's `question` argument. @default "server"
   */
  readonly target?: ToolTarget;
  /** `false` runs the call alone, in order. @default true */
  readonly parallel?: boolean;
  /** Further calls in the same run get a limit result. @default unlimited */
  readonly maxCallsPerRun?: number;
  /** @default 120 */
  readonly timeoutSeconds?: number;
  /** Required for server tools; never called for client or human tools. */
  readonly execute?: (args: z.output<TSchema>, ctx: ToolContext) => TResult | Promise<TResult>;
}

/** A tool ready for `new Agent({ tools })`. Frozen. */
export interface Tool<TSchema extends ObjectSchema = ObjectSchema, TResult = unknown> {
  readonly [TOOL_MARKER]: true;
  readonly name: string;
  readonly description: string;
  readonly parameters: TSchema;
  readonly target: ToolTarget;
  readonly parallel: boolean;
  readonly maxCallsPerRun: number | null;
  readonly timeoutSeconds: number;
  readonly hasExplicitTimeout: boolean;
  /** The JSON Schema sent to the model, computed once. */
  readonly jsonSchema: Record<string, unknown>;
  readonly execute: ((args: z.output<TSchema>, ctx: ToolContext) => TResult | Promise<TResult>) | null;
  /** Where the tool came from (MCP source, original name…); persisted with LLM requests. */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** Any tool, whatever its schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = Tool<any, any>;

function fail(field: string, message: string): never {
  throw new ValidationError({ field, message });
}

function toModelSchema(name: string, schema: ObjectSchema): Record<string, unknown> {
  let raw: Record<string, unknown>;
  try {
    raw = z.toJSONSchema(schema, { io: "input", target: "draft-7" }) as Record<string, unknown>;
  } catch (error) {
    fail("parameters", `Tool '${name}' parameters cannot be expressed as JSON Schema: ${(error as Error).message}`);
  }
  const { $schema: _ignored, type, properties, required, ...rest } = raw;
  return { type, properties: properties ?? {}, required: required ?? [], ...rest };
}

/**
 * Defines a tool. Arguments are validated against `parameters` before
 * `execute` runs; a violation goes back to the model as a failed result.
 *
 * @example
 * const add = tool({
 *   name: "add",
 *   description: "Add two numbers.",
 *   parameters: z.object({ a: z.number(), b: z.number() }),
 *   execute: async ({ a, b }) => a + b,
 * });
 */
export function tool<TSchema extends ObjectSchema, TResult>(options: ToolOptions<TSchema, TResult>): Tool<TSchema, TResult> {
  const { name, description, parameters } = options;
  if (typeof name !== "string" || !TOOL_NAME.test(name)) {
    fail("name", `Tool name ${JSON.stringify(name)} is invalid: it must match ^[a-zA-Z0-9_-]{1,64}$.`);
  }
  if (typeof description !== "string") fail("description", `Tool '${name}' description must be a string.`);
  if (!(parameters instanceof z.ZodObject)) {
    fail("parameters", `Tool '${name}' parameters must be a zod object schema (z.object({...})).`);
  }
  const target = options.target ?? "server";
  if (target !== "server" && target !== "client" && target !== "human") {
    fail("target", `Tool '${name}' target ${JSON.stringify(target)} is not supported. Use "server", "client" or "human".`);
  }
  const maxCalls = options.maxCallsPerRun ?? null;
  if (maxCalls !== null && (!Number.isInteger(maxCalls) || maxCalls < 1)) {
    fail("maxCallsPerRun", `Tool '${name}' maxCallsPerRun must be a positive integer, got ${String(maxCalls)}.`);
  }
  const timeout = options.timeoutSeconds ?? DEFAULT_TOOL_TIMEOUT_SECONDS;
  if (typeof timeout !== "number" || !(timeout > 0) || !Number.isFinite(timeout)) {
    fail("timeoutSeconds", `Tool '${name}' timeoutSeconds must be a positive number, got ${String(timeout)}.`);
  }
  if (target === "server" && typeof options.execute !== "function") {
    fail("execute", `Tool '${name}' is a server tool and needs an execute function.`);
  }
  return Object.freeze({
    [TOOL_MARKER]: true as const,
    name,
    description,
    parameters,
    target,
    parallel: options.parallel ?? true,
    maxCallsPerRun: maxCalls,
    timeoutSeconds: timeout,
    hasExplicitTimeout: options.timeoutSeconds !== undefined,
    jsonSchema: Object.freeze(toModelSchema(name, parameters)),
    execute: options.execute ?? null,
    meta: Object.freeze({}),
  });
}

export interface JsonSchemaToolOptions {
  readonly name: string;
  readonly description: string;
  /** The JSON Schema the model sees, used verbatim. */
  readonly inputSchema: Record<string, unknown>;
  readonly meta?: Record<string, unknown>;
  readonly execute: (args: Record<string, unknown>, ctx: ToolContext) => unknown;
}

/**
 * A tool described by a JSON Schema instead of zod (tools discovered from an
 * MCP server): arguments pass through unchecked; the server validates them.
 */
export function jsonSchemaTool(options: JsonSchemaToolOptions): AnyTool {
  if (!TOOL_NAME.test(options.name)) {
    fail("name", `Tool name ${JSON.stringify(options.name)} is invalid: it must match ^[a-zA-Z0-9_-]{1,64}$.`);
  }
  return Object.freeze({
    [TOOL_MARKER]: true as const,
    name: options.name,
    description: options.description,
    parameters: z.looseObject({}),
    target: "server" as const,
    parallel: true,
    maxCallsPerRun: null,
    timeoutSeconds: DEFAULT_TOOL_TIMEOUT_SECONDS,
    hasExplicitTimeout: false,
    jsonSchema: Object.freeze({ ...options.inputSchema }),
    execute: options.execute,
    meta: Object.freeze({ ...options.meta }),
  });
}

export function isTool(value: unknown): value is AnyTool {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TOOL_MARKER] === true;
}

/** The definition the model sees. */
export function toToolDef(t: AnyTool): ToolDef {
  return {
    name: t.name,
    description: t.description,
    parameters: t.jsonSchema,
    target: t.target,
    parallel: t.parallel,
    maxCallsPerRun: t.maxCallsPerRun,
    timeoutSeconds: t.timeoutSeconds,
    meta: t.meta ?? {},
  };
}
