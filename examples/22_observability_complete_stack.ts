/**
 * The four observability surfaces on one run, and what each captured:
 *
 *   1. the recorder — the durable audit trail in the database (from `databaseUrl`)
 *   2. notifiers, live — ConsoleNotifier and a custom one counting governance events
 *   3. OpenTelemetryNotifier — spans for the host's tracing backend
 *   4. RunStore — the recorder's output read back afterwards (what the dashboard reads)
 *
 *   npx tsx examples/22_observability_complete_stack.ts          # ANTHROPIC_API_KEY=… for Claude
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { z } from "zod";
import { Agent, Budget, tool } from "dendrux";
import { PII } from "dendrux/guardrails";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { BaseNotifier, CompositeNotifier, ConsoleNotifier } from "dendrux/notifiers";
import { OpenTelemetryNotifier } from "dendrux/notifiers/otel";
import { RunStore } from "dendrux/store";
import { online, scriptedModel } from "./shared/setup.js";
import { printSpanTrees } from "./shared/span-report.js";

/** A custom notifier: where an application would page someone, post to Slack or bump a counter. */
class AlertNotifier extends BaseNotifier {
  readonly governance = new Map<string, number>();
  llmCalls = 0;
  toolCalls = 0;
  override async onGovernanceEvent(_runId: string, eventType: string) {
    this.governance.set(eventType, (this.governance.get(eventType) ?? 0) + 1);
  }
  override async onLlmCallCompleted() {
    this.llmCalls += 1;
  }
  override async onToolCompleted() {
    this.toolCalls += 1;
  }
}

const lookupWeather = tool({ name: "lookup_weather", description: "Current weather in a city.", parameters: z.object({ city: z.string() }), execute: ({ city }) => `Sunny, 22°C in ${city}. Light wind from the south-west.` });
const lookupCustomer = tool({
  name: "lookup_customer",
  description: "A customer's profile and contact details.",
  parameters: z.object({ customer_id: z.string() }),
  execute: ({ customer_id }) => ({ id: customer_id, name: "Jane Doe", email: "jane@example.com", phone: "+1-555-123-4567", city: "Paris" }),
});

const offline = scriptedModel([
  { toolCalls: [{ name: "lookup_customer", params: { customer_id: "C-7782" } }], usage: { inputTokens: 2_900, outputTokens: 60 } },
  { toolCalls: [{ name: "lookup_weather", params: { city: "Paris" } }], usage: { inputTokens: 3_400, outputTokens: 50 } },
  { text: "Customer C-7782 (Jane Doe, <<EMAIL_ADDRESS_1>>) is in Paris, where it is sunny and 22°C.", usage: { inputTokens: 3_800, outputTokens: 70 } },
]);

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer("dendrux-example");
const tmp = mkdtempSync(join(tmpdir(), "dendrux-observability-"));
const databaseUrl = process.env.DENDRUX_DATABASE_URL ?? `sqlite:///${join(tmp, "observability.db")}`;
const alerts = new AlertNotifier();

let runId: string;
{
  await using agent = new Agent({
    provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offline,
    prompt: "You are a helpful assistant. Use lookup_weather for weather and lookup_customer for customers.",
    tools: [lookupWeather, lookupCustomer],
    databaseUrl,
    guardrails: [new PII()],
    budget: new Budget({ maxTokens: 20_000, warnAt: [0.5, 0.75, 0.9] }),
  });
  const notifier = new CompositeNotifier([new ConsoleNotifier(), new OpenTelemetryNotifier({ tracer }), alerts]);
  const result = await agent.run("Look up customer C-7782, then check the weather where they live.", { notifier });
  runId = result.runId;
  console.log(`\nRun complete: ${result.status}\n${result.answer}\n`);
}

await using store = RunStore.fromDatabaseUrl(databaseUrl);
const [detail, events, llmCalls, tools, traces, pauses] = await Promise.all([
  store.getRun(runId),
  store.getEvents(runId),
  store.getLlmCalls(runId),
  store.getToolInvocations(runId),
  store.getTraces(runId),
  store.getPauses(runId),
]);

console.log("Layer 1: the recorder (durable, in the database)");
console.log(`  agent_runs        1  status=${detail?.status}, model=${detail?.model}`);
console.log(`  react_traces      ${traces.length}  user / assistant / tool messages`);
console.log(`  tool_calls        ${tools.length}  every tool call with its arguments and result`);
console.log(`  llm_interactions  ${llmCalls.length}  each LLM call, provider-neutral and as sent to the vendor`);
console.log(`  run_events        ${events.length}  lifecycle and governance, in sequence`);

console.log("\nLayer 2: notifiers (live)");
console.log("  ConsoleNotifier         printed the run above");
console.log(`  AlertNotifier (custom)  saw ${alerts.llmCalls} LLM call(s), ${alerts.toolCalls} tool call(s), ${[...alerts.governance.values()].reduce((a, b) => a + b, 0)} governance event(s)`);
for (const [type, count] of [...alerts.governance].sort()) console.log(`    ${type.padEnd(22)} ${count}`);

console.log("\nLayer 3: OpenTelemetryNotifier (the host's tracer)");
printSpanTrees(exporter.getFinishedSpans());

console.log("\nLayer 4: RunStore (read back)");
console.log(`  run_id           ${detail?.runId}`);
console.log(`  status           ${detail?.status}`);
console.log(`  agent_name       ${detail?.agentName}`);
console.log(`  iteration_count  ${detail?.iterationCount}`);
console.log(`  tokens in / out  ${detail?.totalInputTokens} / ${detail?.totalOutputTokens}`);
console.log(`  events           ${events.length}`);
console.log(`  pause cycles     ${pauses.length}`);
console.log(`  answer (stored)  ${detail?.answer?.slice(0, 80)}`);
rmSync(tmp, { recursive: true, force: true });
