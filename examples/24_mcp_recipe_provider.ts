/**
 * MCP against another server, with the provider given as a recipe string.
 *
 *   - `provider: "anthropic:claude-haiku-4-5"` builds the provider from the
 *     environment (like `databaseUrl` for the database); `close()` closes it.
 *   - `@modelcontextprotocol/server-everything`, the protocol's conformance
 *     server, exposes simple tools (`echo`, `get-sum`, …). dendrux uses
 *     whatever the server advertises, as `<server>__<tool>`
 *     (`everything__get-sum`).
 *
 *   npx tsx examples/24_mcp_recipe_provider.ts     # ANTHROPIC_API_KEY=… for Claude and the real server (needs npx)
 */
import { Agent } from "dendrux";
import { MCPServer } from "dendrux/mcp";
import { everythingStandIn, serveMcp } from "./shared/mcp-stand-ins.js";
import { online, scriptedModel, toolResults } from "./shared/setup.js";

const real = online("ANTHROPIC_API_KEY");
const standIn = real ? null : await serveMcp(everythingStandIn);
const server = standIn
  ? new MCPServer("everything", { url: standIn.url })
  : new MCPServer("everything", { command: ["npx", "-y", "@modelcontextprotocol/server-everything"] });

const offline = scriptedModel([
  { toolCalls: [{ name: "everything__get-sum", params: { a: 25, b: 17 } }] },
  (request) => `The tool says: ${toolResults(request)["everything__get-sum"]} So 25 + 17 = 42.`,
]);

try {
  await using agent = new Agent({
    name: "EverythingAgent",
    provider: real ? "anthropic:claude-haiku-4-5" : offline,
    prompt: "You can use the tools of the 'everything' MCP server. Add numbers with its get-sum tool, then confirm the result.",
    toolSources: [server],
    maxIterations: 6,
  });
  // Connects the server and lists what it offers before any run; the run reuses this discovery.
  const mcpTools = (await agent.listTools()).filter((t) => t.source === "everything").map((t) => t.name);
  console.log(`Discovered ${mcpTools.length} MCP tool(s): ${JSON.stringify(mcpTools.slice(0, 8))}`);

  const result = await agent.run("Compute 25 + 17 using the arithmetic tool.");
  console.log(`\nStatus: ${result.status}`);
  console.log(`Answer: ${result.answer}`);
  console.log(`Iterations: ${result.iterationCount}`);
} finally {
  await standIn?.close();
}
