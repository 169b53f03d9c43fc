/**
 * Governance: PII found by a named-entity recogniser, end to end through a
 * tool call. `PII({ engine })` takes its findings from a detector — here a
 * Presidio analyzer over HTTP, which finds people, places and dates (no
 * regular expression does that reliably) as well as e-mails and phone
 * numbers. Offline, a local stand-in plays the analyzer. Then, read back
 * through `RunStore`:
 *
 *   1. the tool ran with the real values (tools are inside your trust boundary);
 *   2. what is stored — the user's message, the tool's arguments — holds placeholders;
 *   3. the run's PII mapping links each placeholder to its value.
 *
 *   npx tsx examples/governance/06_named_entities_tool_calls.ts
 *   PRESIDIO_ANALYZER_URL=http://localhost:5002 npx tsx examples/governance/06_named_entities_tool_calls.ts
 */
import { z } from "zod";
import { Agent, tool } from "dendrux";
import { PII } from "dendrux/guardrails";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { ConsoleNotifier } from "dendrux/notifiers";
import { RunStore } from "dendrux/store";
import { DATABASE_URL, lastUserText, online, scriptedModel } from "../shared/setup.js";
import { presidioDetector } from "../shared/presidio-detector.js";
import { presidioAnalyzer } from "../shared/presidio-stand-in.js";

const received: Record<string, string>[] = [];
const processRefund = tool({
  name: "process_refund",
  description: "Refund a customer's order.",
  parameters: z.object({ customer_name: z.string(), customer_email: z.string(), order_date: z.string(), shipping_city: z.string() }),
  execute: (args) => {
    received.push(args);
    return `Refund issued for ${args.customer_name} (${args.customer_email}), order of ${args.order_date}, shipped to ${args.shipping_city}.`;
  },
});

/** Offline: the model reads the placeholders it was given and passes them on, as a real model does. */
const offline = scriptedModel([
  (request) => {
    const text = lastUserText(request);
    const first = (type: string) => new RegExp(`<<${type}_\\d+>>`).exec(text)?.[0] ?? "unknown";
    return {
      toolCalls: [
        {
          name: "process_refund",
          params: { customer_name: first("PERSON"), customer_email: first("EMAIL_ADDRESS"), order_date: first("DATE_TIME"), shipping_city: first("LOCATION") },
        },
      ],
    };
  },
  "The refund for <<PERSON_1>> is on its way; a confirmation goes to <<EMAIL_ADDRESS_1>>.",
]);

const input = "Refund Alice Johnson's order from March 14 2026. Her email is alice.johnson@example.com, she lives in San Francisco, phone 415-555-0143.";
let runId: string;
{
  await using analyzer = await presidioAnalyzer();
  await using agent = new Agent({
    provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offline,
    prompt: "You are a support agent. For a refund, call process_refund with the customer's name, email, order date and shipping city taken from the message.",
    tools: [processRefund],
    guardrails: [new PII({ engine: presidioDetector(analyzer.url) })],
    databaseUrl: DATABASE_URL,
  });
  const notifier = new ConsoleNotifier();
  const result = await agent.run(input, { notifier });
  notifier.printSummary(result);
  console.log(`\nAnswer (placeholders restored for the caller): ${result.answer}`);
  runId = result.runId;
}

await using store = RunStore.fromDatabaseUrl(DATABASE_URL);
const [traces, toolCalls, mapping] = await Promise.all([store.getTraces(runId), store.getToolInvocations(runId), store.getPiiMapping(runId)]);
console.log(`\n${"=".repeat(60)}\nCHECKS\n${"=".repeat(60)}`);

console.log("\n[1] The tool ran with the REAL values:");
for (const [key, value] of Object.entries(received[0] ?? {})) console.log(`    ${key.padEnd(16)} ${JSON.stringify(value)}`);

console.log("\n[2] Stored user message (placeholders at rest):");
console.log(`    ${traces.find((t) => t.role === "user")?.content}`);
console.log("    Stored tool arguments:");
for (const [key, value] of Object.entries((toolCalls[0]?.params ?? {}) as Record<string, unknown>)) console.log(`    ${key.padEnd(16)} ${JSON.stringify(value)}`);

console.log("\n[3] PII mapping (placeholder → value):");
for (const [placeholder, value] of Object.entries(mapping)) console.log(`    ${placeholder.padEnd(22)} → ${JSON.stringify(value)}`);

const found = new Set(Object.keys(mapping).map((p) => p.replace(/^<<|_\d+>>$/g, "")));
const missing = ["EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON", "LOCATION", "DATE_TIME"].filter((type) => !found.has(type));
console.log(missing.length === 0 ? "\nAll five entity types were redacted; the tool still got real values." : `\nNot detected: ${missing.join(", ")}`);
