/**
 * PII redaction with an external named-entity-recognition engine: names and
 * places (which no regex finds) are replaced with placeholders before the
 * model sees them, stored redacted, and restored in the answer.
 *
 *   npx tsx examples/guardrails-external-engine/main.ts [sqlite:///./ner.db]
 *
 * Offline it starts a local stand-in NER service; set PRESIDIO_ANALYZER_URL to
 * use a real Presidio analyzer, and ANTHROPIC_API_KEY to ask a real model.
 */
import { Agent, type LLMProvider } from "dendrux";
import { PII } from "dendrux/guardrails";
import { MockLLM } from "dendrux/llm/mock";
import { RunStore } from "dendrux/store";
import { presidioDetector } from "../shared/presidio-detector.js";
import { presidioAnalyzer } from "../shared/presidio-stand-in.js";

const databaseUrl = process.argv[2] ?? "sqlite:///./ner.db";
await using analyzer = await presidioAnalyzer();

// Offline, the scripted model answers with the placeholders it was given, as a real model would.
const mock = new MockLLM([
  (request) => {
    const asked = request.messages.at(-1)!.content;
    const person = /<<PERSON_\d+>>/.exec(asked)?.[0];
    const place = /<<LOCATION_\d+>>/.exec(asked)?.[0];
    return `I will write to ${person} and book the trip to ${place}.`;
  },
]);
const provider: LLMProvider | string = process.env.ANTHROPIC_API_KEY ? "anthropic:claude-haiku-4-5" : mock;

await using agent = new Agent({
  name: "Assistant",
  provider,
  prompt: "You are an assistant. Keep placeholders such as <<PERSON_1>> exactly as written.",
  // The regex engine keeps e-mails, phone numbers, …; the NER engine adds names and places. One mapping for both.
  guardrails: [new PII(), new PII({ engine: presidioDetector(analyzer.url) })],
  databaseUrl,
});
const result = await agent.run("Write to Ada Lovelace (ada@example.com) about her trip to London.");

if (provider === mock) console.log(`model saw: ${mock.calls[0]!.messages.at(-1)!.content}`);
console.log(`answer:    ${result.answer}`);
await using store = RunStore.fromDatabaseUrl(databaseUrl);
const stored = await store.getTraces(result.runId);
console.log(`stored:    ${stored[0]!.content}`);
console.log(`mapping:   ${JSON.stringify(await store.getPiiMapping(result.runId))}`);
