/**
 * Any OpenAI-compatible server — Ollama, vLLM, SGLang, LM Studio, Groq,
 * Together — through the same `OpenAIProvider`, by its `baseURL`. Off
 * api.openai.com the provider sends `max_tokens` (what compatible servers
 * expect) and none of OpenAI's own fields. Tool calls always travel in the
 * structured `tool_calls` field; small local models sometimes write a call as
 * text instead, which then comes back as the answer: prefer a tool-capable
 * model (qwen2.5:7b, llama3.1:8b) and a prompt that asks for the tool.
 *
 *   ollama pull llama3.2:3b && npx tsx examples/27_openai_compatible_ollama.ts
 *   OLLAMA_BASE_URL=http://gpu-box:11434/v1 OLLAMA_MODEL=qwen2.5:7b npx tsx examples/27_openai_compatible_ollama.ts
 *
 * Without a server at OLLAMA_BASE_URL (default http://localhost:11434/v1), a
 * local stand-in answers, so the example runs anywhere.
 */
import { z } from "zod";
import { Agent, tool } from "dendrux";
import { OpenAIProvider } from "dendrux/llm/openai";
import { startOpenAICompatibleStandIn, type WireMessage } from "./shared/openai-compatible-stand-in.js";

const MODEL = process.env.OLLAMA_MODEL ?? "llama3.2:3b";
const CONFIGURED_URL = process.env.OLLAMA_BASE_URL ?? "http://localhost:11434/v1";

const add = tool({ name: "add", description: "Add two numbers.", parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b });

async function reachable(url: string): Promise<boolean> {
  if (process.env.DENDRUX_OFFLINE) return false;
  return fetch(`${url}/models`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
}

/** The stand-in's model: calls `add` on the two numbers of the question, then states the tool's result. */
function calculator(messages: readonly WireMessage[]) {
  const last = messages.at(-1)!;
  if (last.role === "tool") return { text: `The total is ${last.content}.` };
  const [a = 0, b = 0] = (last.content ?? "").match(/\d+/g)?.map(Number) ?? [];
  return { toolCalls: [{ name: "add", arguments: { a, b } }] };
}

const standIn = (await reachable(CONFIGURED_URL)) ? null : await startOpenAICompatibleStandIn({ reply: calculator });
const baseURL = standIn?.url ?? CONFIGURED_URL;

function buildAgent(): Agent {
  // The OpenAI SDK insists on an API key; local servers ignore it.
  return new Agent({
    provider: new OpenAIProvider({ model: MODEL, baseURL, apiKey: "ollama" }),
    prompt: "You are a calculator. Add numbers with the add tool, then state the result.",
    tools: [add],
  });
}

try {
  console.log(`== run() against ${MODEL} @ ${standIn ? "a local stand-in" : baseURL} ==`);
  {
    await using agent = buildAgent();
    const result = await agent.run("What is 1234 + 4321?");
    console.log(`Answer: ${result.answer}`);
    console.log(`Steps: ${result.iterationCount}, Tokens: ${result.usage.totalTokens}`);
  }
  console.log("\n== stream() ==");
  {
    await using agent = buildAgent();
    for await (const event of agent.stream("Add 100 and 23, then tell me the total.")) {
      if (event.type === "text_delta") process.stdout.write(event.text);
      else if (event.type === "tool_use_end") console.log(`  >> ${event.toolCall.name}(${JSON.stringify(event.toolCall.params)})`);
      else if (event.type === "tool_result") console.log(`  << ${event.toolResult.payload}`);
      else if (event.type === "run_completed") console.log();
    }
  }
} finally {
  await standIn?.close();
}
