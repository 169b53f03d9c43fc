import { ValidationError } from "../errors/validation-error.js";
import type { RuntimeAgent } from "../runtime/runtime-agent.js";
import { type AnyTool, toToolDef } from "../tool/tool.js";
import type { ToolDef } from "../types/tool-call.js";
import type { ToolSource } from "../types/tool-source.js";
import { logger } from "../util/logger.js";
import { checkGovernanceNames } from "./validate-agent-options.js";

/** The definitions the model sees, sorted by name for cache-stable request prefixes. */
export function sortedToolDefs(tools: readonly AnyTool[]): readonly ToolDef[] {
  return Object.freeze(tools.map(toToolDef).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
}

/** What discovery reads of an agent, and gives back with the sources' tools merged in. */
type ToolSet = Pick<RuntimeAgent, "name" | "tools" | "toolDefs">;

/** An agent's tools once its sources are discovered, and what each source offered. */
export interface Discovered<A extends ToolSet> {
  readonly agent: A;
  readonly sources: readonly { readonly name: string; readonly toolNames: readonly string[] }[];
}

/** A runtime agent with its sources' tools: what a run works with. */
export type DiscoveredAgent = Discovered<RuntimeAgent>;

/**
 * Connects every source, merges their tools with the local ones and re-checks
 * `deny` / `requireApproval` against the full list. All or nothing: on any
 * failure every source opened so far is closed, so the next run retries.
 */
export async function discoverTools<A extends ToolSet>(base: A, sources: readonly ToolSource[], rules: { deny: readonly string[]; requireApproval: readonly string[] }): Promise<Discovered<A>> {
  const opened: ToolSource[] = [];
  try {
    const found: { name: string; tools: readonly AnyTool[] }[] = [];
    for (const source of sources) {
      opened.push(source);
      const tools = await source.discover();
      if (tools.length === 0) logger.warn(`Tool source '${source.name}' offers no tools`);
      found.push({ name: source.name, tools });
    }
    const all = new Map(base.tools);
    for (const { name, tools } of found) {
      for (const t of tools) {
        if (all.has(t.name)) {
          throw new ValidationError({
            field: "toolSources",
            message: `Agent '${base.name}' tool source '${name}' offers '${t.name}', which is already defined by ${base.tools.has(t.name) ? "a local tool" : "another source"}.`,
          });
        }
        all.set(t.name, t);
      }
    }
    const tools = [...all.values()];
    checkGovernanceNames(`Agent '${base.name}'`, rules.deny, rules.requireApproval, tools);
    const agent: A = Object.freeze({
      ...base,
      tools: all,
      toolDefs: sortedToolDefs(tools),
    });
    return { agent, sources: found.map(({ name, tools: t }) => ({ name, toolNames: t.map((x) => x.name) })) };
  } catch (error) {
    await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
    throw error;
  }
}
