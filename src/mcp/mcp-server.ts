import { ValidationError } from "../errors/validation-error.js";
import { assertSdkInstalled } from "../llm/shared/load-sdk.js";
import { type AnyTool, jsonSchemaTool } from "../tool/tool.js";
import type { ToolSource } from "../types/tool-source.js";
import { logger } from "../util/logger.js";

type McpClient = import("@modelcontextprotocol/sdk/client/index.js").Client;
type McpTransport = import("@modelcontextprotocol/sdk/shared/transport.js").Transport;

/** How to reach the server: Streamable HTTP, or a child process over stdio. */
export type MCPServerOptions = { readonly url: string; readonly command?: never } | { readonly command: readonly string[]; readonly url?: never };

const SOURCE_NAME = /^[a-zA-Z0-9_-]+$/;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

interface McpContent {
  readonly type: string;
  readonly text?: string;
}

/** A tool result as dendrux passes it on: structured content, else the text blocks. */
function resultValue(result: { structuredContent?: unknown; content?: readonly McpContent[] }): unknown {
  if (result.structuredContent !== undefined && result.structuredContent !== null) return result.structuredContent;
  const content = result.content ?? [];
  if (content.length === 0) return "";
  return content.map((c) => (c.type === "text" ? (c.text ?? "") : `[unsupported content type: ${c.type}]`)).join("\n");
}

/**
 * An MCP server as a tool source, through the official MCP TypeScript SDK
 * (an optional peer dependency). Nothing connects until an agent first needs
 * the tools; each becomes `<name>__<tool>`.
 *
 * @example
 * const files = new MCPServer("files", { command: ["npx", "-y", "@modelcontextprotocol/server-filesystem", "."] });
 * const agent = new Agent({ provider, prompt, toolSources: [files] });
 */
export class MCPServer implements ToolSource {
  readonly name: string;
  readonly #options: MCPServerOptions;
  #client: McpClient | null = null;

  constructor(name: string, options: MCPServerOptions) {
    if (typeof name !== "string" || !SOURCE_NAME.test(name)) {
      throw new ValidationError({ field: "name", message: `MCPServer name ${JSON.stringify(name)} is not a valid identifier. Must match [a-zA-Z0-9_-] and be non-empty.` });
    }
    if (name.includes("__")) {
      throw new ValidationError({ field: "name", message: `MCPServer name '${name}' cannot contain '__'. Double underscore is reserved as the namespace separator.` });
    }
    const hasUrl = typeof options?.url === "string";
    const hasCommand = options?.command !== undefined;
    if (hasUrl === hasCommand) {
      throw new ValidationError({ field: "options", message: "MCPServer requires exactly one transport: { url } for HTTP or { command: [...] } for stdio." });
    }
    if (hasCommand) {
      if (!Array.isArray(options.command) || options.command.length === 0) {
        throw new ValidationError({ field: "command", message: "MCPServer command must be a non-empty list of strings." });
      }
      if (!options.command.every((part) => typeof part === "string")) {
        throw new ValidationError({ field: "command", message: "MCPServer command must contain only strings." });
      }
    }
    assertSdkInstalled("@modelcontextprotocol/sdk", "MCPServer");
    this.name = name;
    this.#options = Object.freeze({ ...options });
  }

  get transport(): "http" | "stdio" {
    return this.#options.url !== undefined ? "http" : "stdio";
  }

  async #connect(): Promise<McpClient> {
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    let transport: McpTransport;
    if (this.#options.url !== undefined) {
      const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
      transport = new StreamableHTTPClientTransport(new URL(this.#options.url));
    } else {
      const { StdioClientTransport } = await import("@modelcontextprotocol/sdk/client/stdio.js");
      const [command, ...args] = this.#options.command!;
      transport = new StdioClientTransport({ command: command!, args });
    }
    const client = new Client({ name: "dendrux", version: "0.1.0" });
    await client.connect(transport);
    return client;
  }

  async discover(): Promise<readonly AnyTool[]> {
    if (this.#client) throw new Error(`MCPServer '${this.name}' is already connected. Call close() before re-discovering.`);
    const client = await this.#connect();
    this.#client = client;
    const listed: { name: string; description?: string; inputSchema: Record<string, unknown>; annotations?: Record<string, unknown> }[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      listed.push(...(page.tools as typeof listed));
      cursor = page.nextCursor;
    } while (cursor);

    const seen = new Set<string>();
    return listed.map((t) => {
      const canonical = `${this.name}__${t.name.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
      if (!TOOL_NAME.test(canonical)) {
        throw new ValidationError({
          field: "toolSources",
          message: `MCP tool '${t.name}' from source '${this.name}' produces canonical name '${canonical}' which is not provider-safe. Tool names must match [a-zA-Z0-9_-] and be <= 64 chars.`,
        });
      }
      if (seen.has(canonical)) {
        throw new ValidationError({ field: "toolSources", message: `MCP source '${this.name}' has duplicate tool names after sanitization: '${canonical}'.` });
      }
      seen.add(canonical);
      const annotations = t.annotations ? Object.fromEntries(Object.entries(t.annotations).filter(([, v]) => v !== null && v !== undefined)) : null;
      return jsonSchemaTool({
        name: canonical,
        description: t.description ?? "",
        inputSchema: t.inputSchema,
        meta: { source_name: this.name, mcp_tool_name: t.name, transport: this.transport, annotations },
        execute: async (args, ctx) => {
          const session = this.#client;
          if (!session) throw new Error(`MCPServer '${this.name}' is not connected.`);
          const result = (await session.callTool({ name: t.name, arguments: args }, undefined, { signal: ctx.signal })) as {
            isError?: boolean;
            structuredContent?: unknown;
            content?: McpContent[];
          };
          const value = resultValue(result);
          if (result.isError) throw new Error(typeof value === "string" && value ? value : "MCP tool returned an error");
          return value;
        },
      });
    });
  }

  /** Closes the session and transport (a stdio server's process exits). Idempotent; never throws. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    if (!client) return;
    try {
      await client.close();
    } catch (error) {
      logger.warn(`Closing MCPServer '${this.name}' failed`, error);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
