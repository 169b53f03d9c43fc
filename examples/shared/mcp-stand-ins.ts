/**
 * Local stand-ins for the MCP servers the examples use, built with the
 * official MCP SDK and served over Streamable HTTP on loopback: the same
 * protocol and tool names as `@modelcontextprotocol/server-filesystem` and
 * `server-everything`, without needing npx or the network.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isAbsolute, relative, resolve } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

const text = (value: string) => ({ content: [{ type: "text" as const, text: value }] });

/** The filesystem server's tools, confined to `root`. */
export function filesystemStandIn(root: string): McpServer {
  const inside = (path: string) => {
    const full = resolve(root, path);
    const rel = relative(root, full);
    if (rel.startsWith("..") || isAbsolute(rel)) throw new Error(`Access denied - path outside allowed directories: ${path}`);
    return full;
  };
  const server = new McpServer({ name: "filesystem-stand-in", version: "1.0.0" });
  server.registerTool("read_text_file", { description: "Read a text file.", inputSchema: { path: z.string() } }, async ({ path }) => text(readFileSync(inside(path), "utf8")));
  server.registerTool("write_file", { description: "Create or overwrite a file.", inputSchema: { path: z.string(), content: z.string() } }, async ({ path, content }) => {
    writeFileSync(inside(path), content);
    return text(`Successfully wrote to ${path}`);
  });
  server.registerTool("list_directory", { description: "List a directory.", inputSchema: { path: z.string() } }, async ({ path }) =>
    text(
      readdirSync(inside(path))
        .sort()
        .map((name) => `${statSync(resolve(inside(path), name)).isDirectory() ? "[DIR]" : "[FILE]"} ${name}`)
        .join("\n"),
    ),
  );
  server.registerTool("create_directory", { description: "Create a directory.", inputSchema: { path: z.string() } }, async ({ path }) => {
    mkdirSync(inside(path), { recursive: true });
    return text(`Successfully created directory ${path}`);
  });
  server.registerTool("move_file", { description: "Move or rename a file.", inputSchema: { source: z.string(), destination: z.string() } }, async ({ source, destination }) => {
    renameSync(inside(source), inside(destination));
    return text(`Successfully moved ${source} to ${destination}`);
  });
  server.registerTool(
    "edit_file",
    { description: "Replace text in a file.", inputSchema: { path: z.string(), edits: z.array(z.object({ oldText: z.string(), newText: z.string() })) } },
    async ({ path, edits }) => {
      const file = inside(path);
      writeFileSync(file, edits.reduce((body, edit) => body.replace(edit.oldText, edit.newText), readFileSync(file, "utf8")));
      return text(`Edited ${path}`);
    },
  );
  return server;
}

/** A few of the `server-everything` conformance tools: `echo`, `get-sum`, `get-env`. */
export function everythingStandIn(): McpServer {
  const server = new McpServer({ name: "everything-stand-in", version: "1.0.0" });
  server.registerTool("echo", { description: "Echoes back the input.", inputSchema: { message: z.string() } }, async ({ message }) => text(`Echo: ${message}`));
  server.registerTool("get-sum", { description: "Returns the sum of two numbers.", inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) =>
    text(`The sum of ${a} and ${b} is ${a + b}.`),
  );
  server.registerTool("get-env", { description: "Returns the server's environment variable names.", inputSchema: {} }, async () => text(JSON.stringify(Object.keys(process.env).sort().slice(0, 5))));
  return server;
}

/** Serves a server (built fresh per request, stateless) over Streamable HTTP on a free loopback port. */
export async function serveMcp(build: () => McpServer): Promise<{ url: string; close(): Promise<void> }> {
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const server = build();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => void transport.close());
    await server.connect(transport);
    await transport.handleRequest(req, res, chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined);
  });
  await new Promise<void>((done) => http.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: () => new Promise((done) => (http.closeAllConnections(), http.close(() => done()))),
  };
}
