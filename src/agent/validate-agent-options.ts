import { ValidationError } from "../errors/validation-error.js";
import type { Loop } from "../loops/loop.js";
import { type AnyTool, isTool } from "../tool/tool.js";

/** The hard ceiling on `maxIterations`, as in the reference. */
export const MAX_ITERATIONS_CEILING = 200;

function fail(field: string, message: string): never {
  throw new ValidationError({ field, message });
}

const list = (names: Iterable<string>) => JSON.stringify([...names].sort());

/** A value for an error message; never throws (symbols and null-prototype objects have no `String()`). */
function shown(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

export interface AgentShape {
  readonly name: string;
  readonly prompt: unknown;
  readonly tools: readonly unknown[];
  readonly loop: Loop;
  readonly hasOutputType: boolean;
  readonly maxIterations: unknown;
  readonly maxDelegationDepth: unknown;
  readonly deny: readonly string[];
  readonly requireApproval: readonly string[];
  readonly toolSources: readonly unknown[];
  readonly guardrails: readonly unknown[];
  readonly heartbeatMs?: unknown;
  readonly recordWithinMs?: unknown;
}

/** Every construction-time rule, in the reference's order; the first violation throws. */
export function validateAgentOptions(o: AgentShape): asserts o is AgentShape & { tools: readonly AnyTool[] } {
  if (typeof o.name !== "string") fail("name", `Agent name must be a string, got ${typeof o.name}.`);
  const who = `Agent '${o.name}'`;
  for (const field of ["tools", "deny", "requireApproval"] as const) {
    if (!Array.isArray(o[field])) fail(field, `${who} ${field} must be an array, got ${typeof o[field]}.`);
  }
  for (const field of ["deny", "requireApproval"] as const) {
    if (o[field].some((n) => typeof n !== "string")) fail(field, `${who} ${field} must list tool names (strings).`);
  }
  const depth = o.maxDelegationDepth;
  if (depth !== undefined && depth !== null && !(Number.isInteger(depth) && (depth as number) >= 0)) {
    fail("maxDelegationDepth", `maxDelegationDepth must be a non-negative integer or null, got ${shown(depth)}.`);
  }
  if (typeof o.prompt !== "string" || o.prompt.length === 0) {
    fail("prompt", `${who} requires a prompt. Pass prompt to the constructor.`);
  }
  if (!o.loop.supportsTools && o.tools.length > 0) {
    const names = o.tools.map((t) => (isTool(t) ? t.name : shown(t)));
    fail(
      "tools",
      `${who} uses ${o.loop.name} loop but has ${o.tools.length} tool(s): ${JSON.stringify(names)}. ` +
        `${o.loop.name} agents cannot have tools — tool execution requires multi-turn iteration. ` +
        "Either remove the tools or switch to ReActLoop.",
    );
  }
  if (!o.loop.supportsTools && o.toolSources.length > 0) {
    fail(
      "toolSources",
      `${who} uses ${o.loop.name} loop but has ${o.toolSources.length} tool source(s). ${o.loop.name} agents cannot discover tools — tool execution requires multi-turn iteration.`,
    );
  }
  const sourceNames = new Set<string>();
  o.toolSources.forEach((source, i) => {
    const name = (source as { name?: unknown })?.name;
    if (!source || typeof name !== "string" || typeof (source as { discover?: unknown }).discover !== "function") {
      fail(`toolSources[${i}]`, `${who} toolSources[${i}] is not a tool source. Use new MCPServer(name, { url } | { command }).`);
    }
    if (sourceNames.has(name)) fail("toolSources", `${who} has duplicate toolSources name '${name}'. Each tool source must have a unique name.`);
    sourceNames.add(name);
  });
  if (!Array.isArray(o.guardrails)) fail("guardrails", `${who} guardrails must be an array.`);
  o.guardrails.forEach((g, i) => {
    const candidate = g as { action?: unknown; scan?: unknown } | null;
    if (!candidate || typeof candidate.scan !== "function" || !["redact", "block", "warn"].includes(candidate.action as string)) {
      fail(`guardrails[${i}]`, `${who} guardrails[${i}] is not a guardrail: it needs scan(text) and an action of "redact", "block" or "warn".`);
    }
  });
  if (o.hasOutputType && o.loop.name !== "SingleCall") {
    fail(
      "outputType",
      `${who} has outputType but does not use the SingleCall loop. Structured output is only supported with SingleCall. ` +
        "Either set loop: new SingleCall() or remove outputType.",
    );
  }
  o.tools.forEach((t, i) => {
    if (!isTool(t)) fail(`tools[${i}]`, `${who} has a non-tool in its tools list at index ${i}. Define it with tool({ ... }).`);
  });
  const tools = o.tools as readonly AnyTool[];
  const seen = new Set<string>();
  for (const t of tools) {
    if (seen.has(t.name)) fail("tools", `${who} has duplicate tool name '${t.name}'. Each tool registered on an agent must have a unique name.`);
    seen.add(t.name);
  }
  const max = o.maxIterations;
  if (typeof max !== "number" || !Number.isInteger(max)) fail("maxIterations", `${who} maxIterations must be an integer, got ${shown(max)}.`);
  if (max < 1) fail("maxIterations", `${who} maxIterations must be >= 1, got ${max}.`);
  if (max > MAX_ITERATIONS_CEILING) fail("maxIterations", `${who} maxIterations cannot exceed ${MAX_ITERATIONS_CEILING}, got ${max}.`);
  const beat = o.heartbeatMs;
  if (beat !== undefined && !(typeof beat === "number" && Number.isInteger(beat) && beat >= 10 && beat <= 3_600_000)) {
    fail("heartbeatMs", `${who} heartbeatMs must be an integer between 10 and 3600000 (milliseconds), got ${shown(beat)}.`);
  }
  const within = o.recordWithinMs;
  if (within !== undefined && !(typeof within === "number" && Number.isInteger(within) && within >= 0 && within <= 60_000)) {
    fail("recordWithinMs", `${who} recordWithinMs must be an integer between 0 and 60000 (milliseconds), got ${shown(within)}.`);
  }

  if (o.toolSources.length > 0) {
    // Names may refer to tools the sources will offer: the full check runs at discovery.
    checkApprovalTargets(who, o.requireApproval, tools);
    checkOverlap(who, o.deny, o.requireApproval);
  } else {
    checkGovernanceNames(who, o.deny, o.requireApproval, tools);
  }
}

/** `deny` / `requireApproval` against the agent's full tool list. */
export function checkGovernanceNames(who: string, deny: readonly string[], requireApproval: readonly string[], tools: readonly AnyTool[]): void {
  const known = tools.map((t) => t.name);
  checkNames(who, "deny", deny, known);
  checkNames(who, "requireApproval", requireApproval, known);
  checkApprovalTargets(who, requireApproval, tools);
  checkOverlap(who, deny, requireApproval);
}

function checkOverlap(who: string, deny: readonly string[], requireApproval: readonly string[]): void {
  const both = deny.filter((n) => requireApproval.includes(n));
  if (both.length > 0) {
    fail("deny", `${who} has tools in both deny and requireApproval: ${list(both)}. A tool cannot be both denied and require approval.`);
  }
}

function checkApprovalTargets(who: string, requireApproval: readonly string[], tools: readonly AnyTool[]): void {
  for (const name of requireApproval) {
    const target = tools.find((t) => t.name === name)?.target;
    if (target && target !== "server") {
      fail("requireApproval", `${who} requireApproval contains '${name}' which has target "${target}". requireApproval only supports server tools.`);
    }
  }
}

function checkNames(who: string, field: string, names: readonly string[], known: readonly string[]): void {
  if (names.length === 0) return;
  if (known.length === 0) fail(field, `${who} has ${field}=${list(names)} but no tools.`);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    fail(field, `${who} ${field} contains unknown tool(s): ${list(unknown)}. Available tools: ${list(known)}.`);
  }
}
