/**
 * A small MCP server for tests: `echo`, `sum` (structured content), `fail`
 * (an error result) and a name that needs sanitising. Serves stdio when run
 * as a script; `startHttpMcpServer` serves Streamable HTTP on loopback.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export function buildMcpServer(): McpServer {
  const server = new McpServer({ name: "test-tools", version: "1.0.0" });
  server.registerTool("echo", { description: "Echo the text.", inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: "text", text: `echo: ${text}` }],
  }));
  server.registerTool(
    "sum",
    { description: "Add numbers.", inputSchema: { a: z.number(), b: z.number() }, outputSchema: { total: z.number() } },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }], structuredContent: { total: a + b } }),
  );
  server.registerTool("fail", { description: "Always fails." }, async () => ({ content: [{ type: "text", text: "disk on fire" }], isError: true }));
  server.registerTool("read.file", { description: "A dotted name.", inputSchema: { path: z.string() } }, async ({ path }) => ({
    content: [{ type: "text", text: `contents of ${path}` }],
  }));
  return server;
}

export async function startHttpMcpServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const http: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
    // Stateless mode: a fresh server and transport per request.
    const server = buildMcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => void transport.close());
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: () => new Promise((resolve) => (http.closeAllConnections(), http.close(() => resolve()))),
  };
}

if (process.argv[1]?.endsWith("mcp-tools-server.ts")) {
  await buildMcpServer().connect(new StdioServerTransport());
}
