/**
 * Per-turn model choice and provider ownership.
 *
 * 1. `run(input, { model })` switches the model for one run without building
 *    a new agent; the model each LLM call actually used is recorded.
 * 2. A recipe string (`"anthropic:claude-haiku-4-5"`) builds the provider from
 *    the environment; the agent owns it and `close()` closes it.
 * 3. A provider instance shared by many short-lived agents must outlive them:
 *    `agent.close()` closes the provider too, so per-request agents are not
 *    closed — the shared provider is, once, at shutdown.
 *
 *   npx tsx examples/23_per_turn_model.ts          # ANTHROPIC_API_KEY=… for Claude
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, type LLMProvider } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { RunStore } from "dendrux/store";
import { online, scriptedModel } from "./shared/setup.js";

const real = online("ANTHROPIC_API_KEY");
const tmp = mkdtempSync(join(tmpdir(), "dendrux-ex23-"));
const databaseUrl = process.env.DENDRUX_DATABASE_URL ?? `sqlite:///${join(tmp, "ex23.db")}`;

console.log("=== 1. Per-turn model override ===");
{
  // The recipe form needs the key in the environment; offline, a stand-in whose default model has the same name.
  await using agent = new Agent({
    name: "chat",
    provider: real ? "anthropic:claude-haiku-4-5" : scriptedModel(["Hello!"], { model: "claude-haiku-4-5" }),
    prompt: "Answer in one short sentence.",
    databaseUrl,
  });
  const byDefault = await agent.run("Say hello.");
  const overridden = await agent.run("Say hello.", { model: "claude-sonnet-4-6" });
  await using store = RunStore.fromDatabaseUrl(databaseUrl);
  for (const [label, result] of [["default", byDefault], ["override", overridden]] as const) {
    const [call] = await store.getLlmCalls(result.runId);
    console.log(`  ${label.padEnd(9)} -> recorded model: ${call?.model}`);
  }
}

console.log("\n=== 2. One provider shared by per-request agents ===");
const shared: LLMProvider = real ? new AnthropicProvider({ model: "claude-haiku-4-5" }) : scriptedModel(["Pong."]);
try {
  for (const request of [1, 2]) {
    // A light agent per request; not closed, because closing it would close the shared provider.
    const agent = new Agent({ provider: shared, prompt: "Answer in one word." });
    const result = await agent.run("Ping?");
    console.log(`  request ${request}: ${JSON.stringify(result.answer)}  (provider reused)`);
  }
} finally {
  await shared.close?.();
}
console.log("  shared provider closed once, at shutdown.");
rmSync(tmp, { recursive: true, force: true });
console.log("\nDone.");
