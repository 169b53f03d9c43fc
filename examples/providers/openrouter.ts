/** Any model on OpenRouter, with tools.   OPENROUTER_API_KEY=… npx tsx examples/providers/openrouter.ts */
import { z } from "zod";
import { Agent, tool } from "dendrux";
import { OpenRouterProvider } from "dendrux/llm/openrouter";
import { needKey } from "./need-key.js";

needKey("OPENROUTER_API_KEY", "openrouter");
const add = tool({ name: "add", description: "Add two numbers.", parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b });
await using agent = new Agent({
  provider: new OpenRouterProvider({ model: process.env.MODEL ?? "deepseek/deepseek-chat", appName: "dendrux example" }),
  prompt: "Use the add tool for arithmetic.",
  tools: [add],
});
console.log((await agent.run("What is 1234 + 4321?")).answer);
