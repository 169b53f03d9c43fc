/**
 * SingleCall: one LLM call, no tools, no iteration — classification,
 * summarisation, extraction. Batch with `run()`, token by token with `stream()`.
 *
 *   npx tsx examples/10_single_call.ts          # ANTHROPIC_API_KEY=… for Claude
 */
import { Agent, SingleCall, type LLMProvider } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { lastUserText, online, scriptedModel } from "./shared/setup.js";

const CLASSIFIER_PROMPT = "Reply with a single word for the tone of the text: positive, negative or neutral. Nothing else.";
const SUMMARIZER_PROMPT = "Sum the text up in one short sentence.";

/** Offline: a keyword classifier and a fixed summary stand in for the model. */
function model(offline: () => LLMProvider): LLMProvider {
  return online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-haiku-4-5" }) : offline();
}
const offlineClassifier = () =>
  scriptedModel([(request) => (/love|great/i.test(lastUserText(request)) ? "positive" : /confusing|broken|bad/i.test(lastUserText(request)) ? "negative" : "neutral")]);
const offlineSummarizer = () =>
  scriptedModel([{ text: "In July 1969 Apollo 11 put Armstrong and Aldrin on the Moon and brought all three astronauts home.", usage: { inputTokens: 120, outputTokens: 22 } }]);

console.log("=== Batch: Sentiment Classification ===\n");
{
  await using classifier = new Agent({ name: "Classifier", provider: model(offlineClassifier), loop: new SingleCall(), prompt: CLASSIFIER_PROMPT });
  for (const text of ["This library is great, I love working with it!", "The setup guide is confusing and half of it is missing.", "The parcel measures 30 by 20 centimetres."]) {
    const result = await classifier.run(text);
    console.log(`  ${text.slice(0, 50).padEnd(50)} → ${result.answer}`);
  }
}

console.log("\n=== Stream: Summarization ===\n");
{
  await using summarizer = new Agent({ name: "Summarizer", provider: model(offlineSummarizer), loop: new SingleCall(), prompt: SUMMARIZER_PROMPT });
  const text =
    "Apollo 11 lifted off from Florida on 16 July 1969. Four days later Neil Armstrong and Buzz Aldrin set the lunar module down " +
    "in the Sea of Tranquility while Michael Collins stayed in orbit. Armstrong stepped onto the surface first, Aldrin followed, " +
    "and after about two and a half hours outside they rejoined Collins. All three splashed down in the Pacific on 24 July.";
  console.log(`  Input: ${text.slice(0, 80)}...\n`);
  process.stdout.write("  Summary: ");
  for await (const event of summarizer.stream(text)) {
    if (event.type === "text_delta") process.stdout.write(event.text);
    else if (event.type === "run_completed") console.log(`\n\n  (${event.result.usage.totalTokens} tokens)`);
  }
}
