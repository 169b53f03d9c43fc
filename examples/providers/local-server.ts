/**
 * Any OpenAI-compatible server (vLLM, Ollama, LM Studio, Groq…):
 *   OPENAI_COMPATIBLE_URL=http://127.0.0.1:11434/v1 MODEL=llama3.1 npx tsx examples/providers/local-server.ts
 */
import { z } from "zod";
import { Agent, tool } from "dendrux";
import { OpenAIProvider } from "dendrux/llm/openai";

const baseURL = process.env.OPENAI_COMPATIBLE_URL;
if (!baseURL) {
  console.log("local-server: set OPENAI_COMPATIBLE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama) and MODEL (nothing was sent).");
  process.exit(0);
}
const add = tool({ name: "add", description: "Add two numbers.", parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b });
await using agent = new Agent({
  provider: new OpenAIProvider({ model: process.env.MODEL ?? "llama3.1", baseURL, apiKey: "not-needed" }),
  prompt: "Use the add tool for arithmetic.",
  tools: [add],
});
console.log((await agent.run("What is 1234 + 4321?")).answer);
