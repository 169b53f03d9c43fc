/**
 * OpenRouter: open and commercial models behind one API. `OpenRouterProvider`
 * is the OpenAI Chat Completions adapter preset for OpenRouter — streaming,
 * native tools and usage work unchanged — plus the `OPENROUTER_API_KEY`
 * variable, attribution headers, `provider.require_parameters` routing, a
 * guard that refuses tools on a model without native tool calling, and
 * `listModels()`: the catalog as plain snapshots (prices, modalities, tools,
 * context length) to filter in code, e.g. for a model picker or cost tiers.
 *
 *   OPENROUTER_API_KEY=sk-or-… npx tsx examples/29_openrouter.ts
 *
 * Without the key a local stand-in plays OpenRouter (catalog and chat), so the
 * same provider code runs offline.
 */
import { z } from "zod";
import { Agent, ProviderError, tool } from "dendrux";
import { OpenRouterProvider, type OpenRouterProviderOptions } from "dendrux/llm/openrouter";
import { startOpenAICompatibleStandIn, type StandInModel, type WireMessage } from "./shared/openai-compatible-stand-in.js";
import { online } from "./shared/setup.js";

const MODEL = "deepseek/deepseek-chat";
const add = tool({ name: "add", description: "Add two numbers.", parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b });

const catalogEntry = (id: string, context: number, tools: boolean, price: string, inputs = ["text"]): StandInModel => ({
  id,
  name: id,
  context_length: context,
  supported_parameters: tools ? ["tools", "tool_choice", "temperature"] : ["temperature"],
  pricing: { prompt: price, completion: price },
  architecture: { input_modalities: inputs },
});
const OFFLINE_CATALOG = [
  catalogEntry(MODEL, 163_840, true, "0.00000027"),
  catalogEntry("meta-llama/llama-3.3-70b-instruct:free", 131_072, true, "0"),
  catalogEntry("qwen/qwen-2.5-72b-instruct:free", 32_768, true, "0"),
  catalogEntry("google/gemini-2.5-flash", 1_048_576, true, "0.0000003", ["text", "image"]),
  catalogEntry("openai/gpt-4o-mini", 128_000, true, "0.00000015", ["text", "image"]),
  catalogEntry("gryphe/mythomax-l2-13b", 4_096, false, "0.00000006"),
];

function calculator(messages: readonly WireMessage[]) {
  const last = messages.at(-1)!;
  if (last.role === "tool") return { text: `15 + 27 = ${last.content}.` };
  if (/capital of France/i.test(last.content ?? "")) return { text: "Paris is the capital of France." };
  return { toolCalls: [{ name: "add", arguments: { a: 15, b: 27 } }] };
}

const standIn = online("OPENROUTER_API_KEY") ? null : await startOpenAICompatibleStandIn({ reply: calculator, models: OFFLINE_CATALOG });
/** The real OpenRouter with the key; the stand-in without. */
const openRouter = (options: OpenRouterProviderOptions) =>
  new OpenRouterProvider({ ...(standIn ? { baseURL: standIn.url, apiKey: "offline" } : {}), appName: "dendrux examples", ...options });

async function exploreCatalog(): Promise<string> {
  console.log("== listModels(): the catalog ==");
  await using provider = openRouter({ model: MODEL });
  const models = await provider.listModels();
  console.log(`Catalog size: ${models.length} models`);
  const freeWithTools = models.filter((m) => m.isFree && m.supportsTools);
  console.log(`Free + native tools: ${freeWithTools.length}`);
  for (const m of freeWithTools.slice(0, 3)) console.log(`  - ${m.id} (ctx ${m.contextLength})`);
  const multimodal = models.filter((m) => m.isMultimodal);
  console.log(`Multimodal: ${multimodal.length}, text-only: ${models.length - multimodal.length}`);
  const cheapBigContext = models
    .filter((m) => m.supportsTools && !m.isFree && (m.contextLength ?? 0) >= 128_000 && m.promptPrice !== null)
    .sort((a, b) => (a.promptPrice ?? 0) - (b.promptPrice ?? 0));
  console.log("Cheapest paid tool-capable models with at least 128k context:");
  for (const m of cheapBigContext.slice(0, 3)) console.log(`  - ${m.id}  ($${((m.promptPrice ?? 0) * 1e6).toFixed(3)}/1M input tokens)`);
  const noTools = models.find((m) => !m.supportsTools)!;
  console.log(`A model WITHOUT native tools: ${noTools.id}`);
  return noTools.id;
}

async function runWithTools(): Promise<void> {
  console.log(`\n== run() with tools on ${MODEL} ==`);
  await using agent = new Agent({ provider: openRouter({ model: MODEL }), prompt: "You are a calculator. Add with the add tool, then state the result.", tools: [add] });
  const result = await agent.run("What is 15 + 27?");
  console.log(`Answer: ${result.answer}`);
  console.log(`Steps: ${result.iterationCount}, Tokens: ${result.usage.totalTokens}`);
}

async function runFromRecipe(): Promise<void> {
  console.log("\n== recipe string: provider \"openrouter:<model>\" ==");
  // The recipe form reads OPENROUTER_API_KEY and talks to OpenRouter itself; offline, the same provider is built explicitly.
  await using agent = new Agent({ provider: standIn ? openRouter({ model: MODEL }) : `openrouter:${MODEL}`, prompt: "Answer in one short sentence." });
  console.log(`Answer: ${(await agent.run("What is the capital of France?")).answer}`);
}

async function nativeToolsGuard(model: string): Promise<void> {
  console.log(`\n== native-tools guard on ${model} ==`);
  await using agent = new Agent({ provider: openRouter({ model }), prompt: "You are a calculator.", tools: [add] });
  try {
    await agent.run("What is 1 + 1?");
  } catch (error) {
    // Refused before any request is sent: the run fails instead of "succeeding" with an answer that ignored the tools.
    if (!(error instanceof ProviderError)) throw error;
    console.log(`Guard refused the model, as designed:\n  ${error.message.split(". ")[0]}.`);
  }
}

try {
  const noTools = await exploreCatalog();
  await runWithTools();
  await runFromRecipe();
  await nativeToolsGuard(noTools);
} finally {
  await standIn?.close();
}
