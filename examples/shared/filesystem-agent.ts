/**
 * The filesystem tools of the MCP examples: the real
 * `@modelcontextprotocol/server-filesystem` (through npx) when a real model
 * runs, else a local stand-in with the same tools; and an offline model
 * that uses them the way a model would.
 */
import type { Agent, LLMRequest } from "dendrux";
import { MCPServer } from "dendrux/mcp";
import { ConsoleNotifier } from "dendrux/notifiers";
import { filesystemStandIn, serveMcp } from "./mcp-stand-ins.js";
import { lastUserText, toolResults } from "./setup.js";

/** An MCP tool source named `filesystem`, confined to `workDir`; `close()` stops the stand-in. */
export async function filesystemSource(workDir: string, real: boolean): Promise<{ source: MCPServer; close(): Promise<void> }> {
  if (real) return { source: new MCPServer("filesystem", { command: ["npx", "-y", "@modelcontextprotocol/server-filesystem", workDir] }), close: async () => {} };
  const standIn = await serveMcp(() => filesystemStandIn(workDir));
  return { source: new MCPServer("filesystem", { url: standIn.url }), close: () => standIn.close() };
}

/** One step of the offline file assistant: read, write or list, then report what the tool said. */
export function fileAssistantStep(workDir: string) {
  return (request: LLMRequest) => {
    const results = Object.entries(toolResults(request));
    if (results.length > 0) {
      const [tool, output] = results.at(-1)!;
      if (tool.endsWith("read_text_file")) return `The file says: ${output}`;
      if (tool.endsWith("write_file")) return `Done: ${output}.`;
      return `The working directory contains:\n${output}`;
    }
    const text = lastUserText(request);
    const file = /(\S+\.txt)/.exec(text)?.[1];
    if (/create/i.test(text) && file) {
      const content = /content:? '([^']*)'/.exec(text)?.[1] ?? "";
      return { toolCalls: [{ name: "filesystem__write_file", params: { path: `${workDir}/${file}`, content } }] };
    }
    if (/read|summar/i.test(text) && file) return { toolCalls: [{ name: "filesystem__read_text_file", params: { path: `${workDir}/${file}` } }] };
    return { toolCalls: [{ name: "filesystem__list_directory", params: { path: workDir } }] };
  };
}

/** Runs each task as its own run, printing the run live and its answer; `after(i)` runs after task i. */
export async function runTasks(agent: Agent, tasks: readonly string[], after?: (index: number) => void): Promise<void> {
  for (const [i, task] of tasks.entries()) {
    console.log(`\nTask ${i + 1}: ${task}`);
    const result = await agent.run(task, { notifier: new ConsoleNotifier() });
    console.log(`\nAnswer: ${result.answer}`);
    console.log(`Run ${result.runId} — ${result.iterationCount} iterations, ${result.usage.totalTokens} tokens`);
    after?.(i);
  }
}
