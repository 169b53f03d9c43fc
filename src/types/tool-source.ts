import type { AnyTool } from "../tool/tool.js";

/**
 * Tools that live elsewhere (an MCP server), discovered when an agent first
 * needs them. `name` prefixes every discovered tool: `<name>__<tool>`.
 */
export interface ToolSource {
  readonly name: string;
  /** Connects and lists the tools, ready to execute. Called once per agent until `close()`. */
  discover(): Promise<readonly AnyTool[]>;
  close(): Promise<void>;
}
