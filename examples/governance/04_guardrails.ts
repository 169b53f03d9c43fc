/**
 * Governance: guardrails.
 *
 *   1. `PII` (redact): emails and phone numbers — and an `EMPLOYEE_ID` pattern
 *      of ours — become `<<EMAIL_ADDRESS_1>>`-style placeholders before the
 *      model sees them; tools get the real values back.
 *   2. `SecretDetection` (block): an AWS key in the input ends the run before
 *      any LLM call.
 *   3. `PII` (warn): findings are recorded, the text is left as it is — a
 *      first, observe-only rollout.
 *
 *   npx tsx examples/governance/04_guardrails.ts          # ANTHROPIC_API_KEY=… for Claude
 */
import { z } from "zod";
import { Agent, tool, type LLMProvider } from "dendrux";
import { PII, Pattern, SecretDetection } from "dendrux/guardrails";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { ConsoleNotifier } from "dendrux/notifiers";
import { type ModelStep, online, scriptedModel } from "../shared/setup.js";

const sent: string[] = [];
const sendEmail = tool({
  name: "send_email",
  description: "Email a customer.",
  parameters: z.object({ to: z.string(), subject: z.string(), body: z.string() }),
  execute: ({ to, subject, body }) => {
    sent.push(to);
    return `Email sent to ${to}: [${subject}] ${body}`;
  },
});
const lookupCustomer = tool({
  name: "lookup_customer",
  description: "Look customer details up.",
  parameters: z.object({ query: z.string() }),
  execute: ({ query }) => `Customer '${query}': jane@example.com, phone +1-555-123-4567, EMP-789012`,
});

const model = (steps: ModelStep[]): LLMProvider => (online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : scriptedModel(steps));

console.log(`${"=".repeat(60)}\nDEMO 1: PII redaction\n${"=".repeat(60)}`);
{
  await using agent = new Agent({
    provider: model([
      { toolCalls: [{ name: "lookup_customer", params: { query: "John" } }] },
      // The model only ever sees placeholders, so that is what it writes.
      { toolCalls: [{ name: "send_email", params: { to: "<<EMAIL_ADDRESS_1>>", subject: "Hello", body: "Hello from support! Ref <<EMPLOYEE_ID_1>>." } }] },
      "I emailed <<EMAIL_ADDRESS_1>> a hello.",
    ]),
    prompt: "You are a support agent. To contact a customer, look them up first, then email them with what you found.",
    tools: [sendEmail, lookupCustomer],
    guardrails: [new PII({ extraPatterns: [new Pattern("EMPLOYEE_ID", String.raw`EMP-\d{6}`)] })],
  });
  const notifier = new ConsoleNotifier();
  const result = await agent.run("Look up customer John and send them a hello email.", { notifier });
  notifier.printSummary(result);
  console.log(`\nAnswer: ${result.answer}`);
  console.log(`The email tool was called with: ${sent.join(", ")} (the real address)\n`);
}

console.log(`${"=".repeat(60)}\nDEMO 2: secret detection (block)\n${"=".repeat(60)}`);
{
  await using agent = new Agent({
    provider: model(["unreachable: the run is blocked before any LLM call"]),
    prompt: "You are a helpful assistant.",
    tools: [lookupCustomer],
    guardrails: [new SecretDetection()],
  });
  const result = await agent.run("Save this config: aws_key=AKIAIOSFODNN7EXAMPLE", { notifier: new ConsoleNotifier() });
  console.log(`\nStatus: ${result.status}\nError: ${result.error}`);
  console.log("(Run blocked: the secret never reached the model)\n");
}

console.log(`${"=".repeat(60)}\nDEMO 3: observe-only rollout (warn)\n${"=".repeat(60)}`);
{
  await using agent = new Agent({
    provider: model(["Reach Jane at jane@example.com or on +1-555-123-4567."]),
    prompt: "You are a helpful assistant. Answer briefly.",
    guardrails: [new PII({ action: "warn" })],
  });
  const notifier = new ConsoleNotifier();
  const result = await agent.run("Summarise: write to jane@example.com or call +1-555-123-4567", { notifier });
  notifier.printSummary(result);
  console.log(`\nAnswer: ${result.answer}`);
  console.log("(PII found and recorded, but the text was NOT changed)\n");
}
