/**
 * Structured output: a SingleCall agent with `outputType` (a zod type)
 * returns a validated object in `result.output`. Runs on every provider whose
 * key is set — Anthropic (a forced tool), OpenAI Chat Completions
 * (`response_format`) and the Responses API (`text.format`) — else offline.
 *
 *   npx tsx examples/11_structured_output.ts        # ANTHROPIC_API_KEY / OPENAI_API_KEY for real models
 */
import { z } from "zod";
import { Agent, SingleCall, type LLMProvider, type LLMRequest } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { OpenAIProvider } from "dendrux/llm/openai";
import { OpenAIResponsesProvider } from "dendrux/llm/openai-responses";
import { lastUserText, online, scriptedModel } from "./shared/setup.js";

const Sentiment = z.object({ label: z.string(), confidence: z.number(), reasoning: z.string() }).describe("Sentiment");
const MovieReview = z
  .object({ title: z.string(), rating: z.number(), pros: z.array(z.string()), cons: z.array(z.string()), recommendation: z.string() })
  .describe("MovieReview");

const SENTIMENT_PROMPT = "Judge the tone of the text: label it positive, negative or neutral, say how sure you are (0 to 1) and why, briefly.";
const REVIEW_PROMPT = "Read the text as a film review: name the film, rate it out of 10, list what the reviewer liked and disliked, and recommend it or not in one sentence.";

/** Offline: JSON in the requested shape, or plain text when no shape was asked for. */
function offlineAnswer(request: LLMRequest): string {
  const text = lastUserText(request);
  const properties = (request.outputSchema?.properties ?? {}) as Record<string, unknown>;
  if (!request.outputSchema) return "That sounds wonderful — a clearly positive message.";
  if ("title" in properties) {
    return JSON.stringify({
      title: "Arrival",
      rating: 9,
      pros: ["Amy Adams' performance", "an unsettling score", "a smart linguistics plot"],
      cons: ["a slow middle act", "a time structure that is hard to follow"],
      recommendation: "Well worth watching, twice.",
    });
  }
  const label = /love|wonderful|easy/i.test(text) ? "positive" : /crash|slow|useless/i.test(text) ? "negative" : "neutral";
  return JSON.stringify({ label, confidence: label === "neutral" ? 0.9 : 0.95, reasoning: `The text reads as ${label}.` });
}

const providers: [string, LLMProvider][] = [];
if (online("ANTHROPIC_API_KEY")) providers.push(["Anthropic", new AnthropicProvider({ model: "claude-haiku-4-5" })]);
if (online("OPENAI_API_KEY")) {
  providers.push(["OpenAI-Chat", new OpenAIProvider({ model: "gpt-4o-mini" })]);
  providers.push(["OpenAI-Responses", new OpenAIResponsesProvider({ model: "gpt-4o-mini" })]);
}
if (providers.length === 0) providers.push(["Offline", scriptedModel([offlineAnswer])]);

async function runSentiment(name: string, provider: LLMProvider): Promise<void> {
  console.log(`\n  [${name}] Sentiment Classification`);
  const agent = new Agent({ name: `Sentiment-${name}`, provider, loop: new SingleCall(), prompt: SENTIMENT_PROMPT, outputType: Sentiment });
  for (const text of [
    "I love how easy this tool makes my week.",
    "The app is slow, it crashes every hour and the help desk is useless.",
    "The order contains two boxes and a printed invoice.",
  ]) {
    // The agent's outputType validates the answer and types result.output.
    const result = await agent.run(text);
    const s = result.output!;
    console.log(`    ${text.slice(0, 55).padEnd(55)}\n      label=${s.label}, confidence=${s.confidence.toFixed(2)}`);
    console.log(`      reasoning: ${s.reasoning.slice(0, 80)}\n      tokens: ${result.usage.totalTokens}\n`);
  }
}

async function runReview(name: string, provider: LLMProvider): Promise<void> {
  console.log(`\n  [${name}] Movie Review Extraction`);
  const agent = new Agent({ name: `Review-${name}`, provider, loop: new SingleCall(), prompt: REVIEW_PROMPT, outputType: MovieReview });
  const result = await agent.run(
    "Watched Arrival last night. Amy Adams carries the film, the score gets under your skin and the linguistics plot is " +
      "smart. The middle act is slow and the time structure takes a second viewing to follow. Still one of the best " +
      "science-fiction films of the decade.",
  );
  const r = result.output!;
  console.log(`    title: ${r.title}\n    rating: ${r.rating}/10\n    pros: ${JSON.stringify(r.pros)}\n    cons: ${JSON.stringify(r.cons)}`);
  console.log(`    recommendation: ${r.recommendation}\n    tokens: ${result.usage.totalTokens}`);
  console.log(`    type check: ${typeof r.rating === "number" && Array.isArray(r.pros) ? "passed" : "FAILED"}`);
}

async function runPerCallOverride(name: string, provider: LLMProvider): Promise<void> {
  console.log(`\n  [${name}] Per-call outputType override`);
  // The agent has no outputType; one run asks for one.
  const agent = new Agent({ name: `Override-${name}`, provider, loop: new SingleCall(), prompt: SENTIMENT_PROMPT });
  const typed = await agent.run("What a wonderful surprise!", { outputType: Sentiment });
  console.log(`    outputType on run(): ${JSON.stringify(typed.output)}`);
  const plain = await agent.run("A wonderful day.");
  console.log(`    no outputType: output=${plain.output}, answer=${plain.answer?.slice(0, 50)}...`);
  console.log(`    type check: ${typed.output?.label && plain.output === undefined ? "passed" : "FAILED"}`);
}

for (const [name, provider] of providers) {
  console.log(`\n${"=".repeat(60)}\n  Provider: ${name}\n${"=".repeat(60)}`);
  await runSentiment(name, provider);
  await runReview(name, provider);
  await runPerCallOverride(name, provider);
}
await Promise.all(providers.map(([, provider]) => provider.close?.()));
console.log(`\n${"=".repeat(60)}\n  All structured output checks passed!\n${"=".repeat(60)}`);
