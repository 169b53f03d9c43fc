/**
 * `MCPServer`: tools from Model Context Protocol servers (needs `@modelcontextprotocol/sdk`).
 * @module
 */
export { MCPServer } from "./mcp-server.js";
export type { MCPServerOptions } from "./mcp-server.js";
