/**
 * Reasoning on OpenAI, through the Responses API: the only OpenAI path that
 * returns reasoning text (a summary, with `showThinking`); Chat Completions
 * reports reasoning tokens only. One SingleCall turn, no tools.
 *
 *   npx tsx examples/26_reasoning_openai.ts          # OPENAI_API_KEY=… for gpt-5
 */
import { Agent, SingleCall } from "dendrux";
import { OpenAIResponsesProvider } from "dendrux/llm/openai-responses";
import { online, scriptedModel } from "./shared/setup.js";

const QUESTION = "A notebook and a pen cost $3.30 together, and the notebook costs $3.00 more than the pen. What does the pen cost? One line of why.";

const offline = () =>
  scriptedModel([
    {
      reasoning: "If the pen costs p, the notebook costs p + 3.00, so 2p + 3.00 = 3.30 and p = 0.15.",
      text: "The pen costs $0.15: the notebook is then $3.15, and together they make $3.30.",
      usage: { inputTokens: 64, outputTokens: 210, reasoningTokens: 170 },
    },
  ]);

function reasoningAgent(): Agent {
  return new Agent({
    name: "ReasoningDemoOpenAI",
    provider: online("OPENAI_API_KEY") ? new OpenAIResponsesProvider({ model: "gpt-5", thinking: true, effort: "medium", showThinking: true }) : offline(),
    loop: new SingleCall(),
    prompt: "Reason it through, then answer in a sentence.",
  });
}

console.log("=== run() ===");
{
  await using agent = reasoningAgent();
  const result = await agent.run(QUESTION);
  console.log(`answer: ${result.answer?.trim()}`);
  console.log(`reasoning_tokens: ${result.usage.reasoningTokens}`);
  // SingleCall has no steps: the call's reasoning text is on the result itself.
  if (result.reasoning) console.log(`thinking: ${result.reasoning.slice(0, 160).trim()}`);
}

console.log("\n=== stream() ===");
{
  await using agent = reasoningAgent();
  let previous = "";
  for await (const event of agent.stream(QUESTION)) {
    if (event.type === "reasoning_delta" || event.type === "text_delta") {
      if (event.type !== previous) process.stdout.write(`${previous ? "\n" : ""}${event.type === "reasoning_delta" ? "[thinking]" : "[answer]"} `);
      process.stdout.write(event.text);
    } else if (event.type === "run_completed") console.log(`\n\nreasoning_tokens=${event.result.usage.reasoningTokens}`);
    previous = event.type;
  }
}
