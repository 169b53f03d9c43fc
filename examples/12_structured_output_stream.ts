/**
 * Structured output and streaming: a typed answer with `run()`, plain text
 * with `stream()`, and a typed answer streamed as it is written (`stream()`
 * with `outputType` yields `partial_output` events, then the validated value).
 *
 *   npx tsx examples/12_structured_output_stream.ts      # ANTHROPIC_API_KEY or OPENAI_API_KEY for a real model
 */
import { z } from "zod";
import { Agent, SingleCall, type LLMProvider } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { OpenAIProvider } from "dendrux/llm/openai";
import { online, scriptedModel } from "./shared/setup.js";

const Analysis = z.object({ summary: z.string(), key_points: z.array(z.string()), word_count: z.number() }).describe("Analysis");

const ANALYSIS_PROMPT = "Give a short summary of the text, its main points as a list, and roughly how many words it has.";
const STREAMING_PROMPT = "Summarise the text in two or three factual sentences.";
const INPUT_TEXT =
  "Electric buses are spreading fast through European cities. Operators like their low running costs and quiet engines, and " +
  "residents notice cleaner air on busy routes. Batteries still limit range in cold weather, so depots need fast chargers and " +
  "spare vehicles. Cities that planned charging before buying buses report the smoothest switch, while others had to cut " +
  "timetables for months. Prices keep falling, and most operators expect diesel buses to disappear from city centres within a decade.";

const OFFLINE_ANALYSIS = JSON.stringify({
  summary: "European cities are switching to electric buses, which are cheap to run but need charging planned ahead.",
  key_points: ["Low running costs and cleaner air", "Cold weather limits battery range", "Planning chargers first makes the switch smooth"],
  word_count: 76,
});
const OFFLINE_SUMMARY =
  "Electric buses are replacing diesel ones in European cities thanks to low running costs and cleaner air. Cold-weather range and charging remain the hard parts, so cities that plan chargers first switch most smoothly.";

function pickProvider(): [string, LLMProvider] {
  if (online("ANTHROPIC_API_KEY")) return ["Anthropic", new AnthropicProvider({ model: "claude-haiku-4-5" })];
  if (online("OPENAI_API_KEY")) return ["OpenAI", new OpenAIProvider({ model: "gpt-4o-mini" })];
  return ["Offline", scriptedModel([(request) => (request.outputSchema ? OFFLINE_ANALYSIS : OFFLINE_SUMMARY)])];
}

const [name, provider] = pickProvider();
console.log(`Using provider: ${name}\n`);

console.log("=== 1. Batch structured output (run + outputType) ===\n");
const analyzer = new Agent({ name: "Analyzer", provider, loop: new SingleCall(), prompt: ANALYSIS_PROMPT, outputType: Analysis });
const result = await analyzer.run(INPUT_TEXT); // result.output is typed by the agent's outputType
const a = result.output!;
console.log(`  summary: ${a.summary}\n  key_points: ${JSON.stringify(a.key_points)}\n  word_count: ${a.word_count}\n  tokens: ${result.usage.totalTokens}\n`);

console.log("=== 2. Streaming text (stream, no outputType) ===\n");
const summarizer = new Agent({ name: "Summarizer", provider, loop: new SingleCall(), prompt: STREAMING_PROMPT });
process.stdout.write("  ");
for await (const event of summarizer.stream(INPUT_TEXT)) {
  if (event.type === "text_delta") process.stdout.write(event.text);
  else if (event.type === "run_completed") {
    console.log(`\n\n  tokens: ${event.result.usage.totalTokens}`);
    console.log(`  output is ${event.result.output === undefined ? "undefined (no outputType): correct" : "set: WRONG"}\n`);
  }
}

console.log("=== 3. Streaming structured output (stream + outputType) ===\n");
let partials = 0;
for await (const event of analyzer.stream(INPUT_TEXT)) {
  // Each partial_output holds the whole object parsed so far (not yet validated).
  if (event.type === "partial_output") partials += 1;
  else if (event.type === "run_completed") {
    const validated = Analysis.parse(event.result.output);
    console.log(`  ${partials} partial objects, then the validated value: ${validated.key_points.length} key points, word_count=${validated.word_count}\n`);
  }
}

await provider.close?.();
console.log("All checks passed!");
