/**
 * Tools from an MCP server: the agent discovers a filesystem server's tools
 * on its first run (named `filesystem__<tool>`), with deny rules on the
 * destructive ones and every call recorded in the database.
 *
 *   npx tsx examples/13_mcp_filesystem.ts     # ANTHROPIC_API_KEY=… for Claude and the real server (needs npx)
 *   npx dendrux traces <run id> --tools       # afterwards
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { fileAssistantStep, filesystemSource, runTasks } from "./shared/filesystem-agent.js";
import { DATABASE_URL, online, scriptedModel } from "./shared/setup.js";

const real = online("ANTHROPIC_API_KEY");
const workDir = mkdtempSync(join(tmpdir(), "dendrux-mcp-"));
console.log(`MCP Filesystem Agent — work dir: ${workDir}`);
writeFileSync(join(workDir, "hello.txt"), "Hi! This file was here before the agent started.");

const filesystem = await filesystemSource(workDir, real);
try {
  await using agent = new Agent({
    name: "FilesystemAgent",
    provider: real ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : scriptedModel([fileAssistantStep(workDir)]),
    prompt: `You manage files in ${workDir} with the filesystem tools. Say what you did once a task is done.`,
    toolSources: [filesystem.source],
    deny: ["filesystem__move_file", "filesystem__edit_file"],
    databaseUrl: DATABASE_URL,
    maxIterations: 10,
  });

  const tasks = [
    "Read the file hello.txt and tell me what it says.",
    "Create a file called notes.txt with the content: 'Team sync moved to 3pm.'",
    "List all files in the working directory.",
  ];
  await runTasks(agent, tasks, (i) => {
    if (i !== 1) return;
    const notes = join(workDir, "notes.txt");
    console.log(existsSync(notes) ? `Verification: notes.txt exists, content: ${readFileSync(notes, "utf8")}` : "Verification: notes.txt was NOT created");
  });
} finally {
  await filesystem.close();
}
console.log("\nInspect the runs with:\n  npx dendrux runs\n  npx dendrux dashboard");
