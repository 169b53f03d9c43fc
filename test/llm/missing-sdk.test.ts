import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");

it("a missing vendor SDK fails at construction with the package to install", async () => {
  const script = `
    import { Agent } from "./src/index.ts";
    process.env.ANTHROPIC_API_KEY = "k"; process.env.OPENAI_API_KEY = "k"; process.env.OPENROUTER_API_KEY = "k";
    for (const provider of ["anthropic:claude", "openai:gpt", "openai-responses:gpt", "openrouter:x/y"]) {
      try { new Agent({ provider, prompt: "p" }); console.log("constructed"); } catch (e) { console.log(e.message); }
    }`;
  const { stdout } = await run(process.execPath, ["--import", "tsx", "--import", "./test/support/hide-sdks.mjs", "--input-type=module", "-e", script], { cwd: root });
  expect(stdout.trim().split("\n")).toEqual([
    'AnthropicProvider needs the "@anthropic-ai/sdk" package. Install it: npm install @anthropic-ai/sdk',
    'OpenAIProvider needs the "openai" package. Install it: npm install openai',
    'OpenAIResponsesProvider needs the "openai" package. Install it: npm install openai',
    'OpenRouterProvider needs the "openai" package. Install it: npm install openai',
  ]);
});
