/**
 * Context blocks: per-run context kept out of the agent's prompt. A `stable`
 * block (project instructions) folds into the first user message, inside the
 * cached prefix: give the same block every turn and turn 2 reads it from the
 * cache. A `dynamic` block (this turn's retrieved notes) folds into the
 * current message, the volatile tail, and is never cached across turns.
 *
 *   npx tsx examples/28_context_blocks.ts      # ANTHROPIC_API_KEY / OPENAI_API_KEY for real models
 */
import { Agent, ChatMessage, ContextBlock, SingleCall, type LLMProvider, type RunResult } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { OpenAIProvider } from "dendrux/llm/openai";
import { lastUserText, online, scriptedModel } from "./shared/setup.js";

// Long on purpose: Anthropic caches nothing below its per-model minimum (2,048 tokens for Sonnet).
const RULES: readonly [string, string][] = [
  ["Testing", "Every change comes with tests, written before the code they cover. Pure functions get table-driven tests; anything that crosses a process or a network boundary gets an end-to-end test. The whole suite passes before a commit, small changes included, because small changes are the ones that break things quietly."],
  ["Reviews", "Changes land through a branch and a pull request, never straight on main. A reviewer checks correctness first, then clarity, then consistency with the code around it. Approving means being able to explain what the change does and why it is safe."],
  ["Architecture", "Modules depend only on the layers below them. Side effects live at the edges so the core stays deterministic and testable without mocks. Stored state is written once, atomically, and never edited in place."],
  ["Releases", "Releases are cut from a green main on Tuesdays. Every release has notes written for users, and a rollback plan that was tried on staging. Nobody ships on Fridays."],
];
const PROJECT_INSTRUCTIONS = `# Project Orbit — engineering handbook\n${Array.from({ length: 12 }, (_, i) => RULES.map(([title, text]) => `\n## ${i + 1}.${title}\n\n${text}`).join("\n")).join("\n")}`;

const format = (label: string, r: RunResult) =>
  `  ${label.padEnd(8)} input=${String(r.usage.inputTokens).padStart(6)}  cache_write=${String(r.usage.cacheCreationInputTokens ?? "-").padStart(6)}  cache_read=${String(r.usage.cacheReadInputTokens ?? "-").padStart(6)}`;

/** Offline: answers from the handbook, with usage as a caching vendor reports it (turn 1 writes, turn 2 reads). */
const offline = () =>
  scriptedModel([
    (request) =>
      /review rule/i.test(lastUserText(request))
        ? { text: "Every change lands through a reviewed pull request, checked for correctness, clarity and consistency.", usage: { inputTokens: 64, outputTokens: 21, cacheReadInputTokens: 3_050 } }
        : { text: "Tests come first, and the full suite must pass before any commit.", usage: { inputTokens: 21, outputTokens: 15, cacheCreationInputTokens: 3_030 } },
  ]);

async function demo(provider: LLMProvider, label: string): Promise<void> {
  console.log(`\n=== ${label} ===`);
  await using agent = new Agent({ provider, prompt: "You answer questions about Project Orbit, briefly.", loop: new SingleCall() });
  const stable = [new ContextBlock(PROJECT_INSTRUCTIONS, { kind: "project_instructions", placement: "stable", source: "project:orbit" })];

  const q1 = "In one sentence, what is the testing rule?";
  const r1 = await agent.run(q1, { context: stable });
  console.log(format("turn 1", r1));

  // Same stable block, the first turn as history: the head of the request is byte-identical, so it is read from the cache.
  const notes = new ContextBlock("Reviewer rota this week: Priya, then Tom.", { kind: "retrieved", placement: "dynamic" });
  const r2 = await agent.run("In one sentence, what is the review rule?", {
    history: [ChatMessage.user(q1), ChatMessage.assistant(r1.answer ?? "")],
    context: [...stable, notes],
  });
  console.log(format("turn 2", r2));
  const read = r2.usage.cacheReadInputTokens;
  console.log(read ? `  turn 2 read ${read} tokens from the cache (stable context hit)` : "  no cache read on turn 2 (prefix below the minimum, or the cache was cold)");
}

const providers: [LLMProvider, string][] = [];
if (online("ANTHROPIC_API_KEY")) providers.push([new AnthropicProvider({ model: "claude-sonnet-4-6" }), "Anthropic (explicit cache breakpoints)"]);
if (online("OPENAI_API_KEY")) providers.push([new OpenAIProvider({ model: "gpt-4o-mini" }), "OpenAI (automatic prefix cache)"]);
if (providers.length === 0) providers.push([offline(), "Offline stand-in"]);
for (const [provider, label] of providers) await demo(provider, label);
