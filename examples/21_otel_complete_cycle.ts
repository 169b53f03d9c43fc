/**
 * The tour of example 20 with OpenTelemetry: the same seven stages, with an
 * `OpenTelemetryNotifier` added to the composite. Spans are captured in
 * memory and printed as a tree per stage, then summarised and checked
 * against the invariants a tracing backend relies on.
 *
 *   npx tsx examples/21_otel_complete_cycle.ts          # ANTHROPIC_API_KEY=… for Claude
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { CompositeNotifier, ConsoleNotifier } from "dendrux/notifiers";
import { OpenTelemetryNotifier } from "dendrux/notifiers/otel";
import { STAGES, hookTracker, printCoverage } from "./shared/notifier-tour.js";
import { printSpanTrees } from "./shared/span-report.js";

// In an application this is the host's tracer provider, exporting over OTLP to Jaeger, Honeycomb, Datadog…
const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer("dendrux-example");

const tmp = mkdtempSync(join(tmpdir(), "dendrux-otel-tour-"));
const databaseUrl = process.env.DENDRUX_DATABASE_URL ?? `sqlite:///${join(tmp, "tour.db")}`;
const tracker = hookTracker();
const notifier = new CompositeNotifier([new ConsoleNotifier(), tracker.notifier, new OpenTelemetryNotifier({ tracer })]);

console.log("OpenTelemetry notifier complete cycle");
let seen = 0;
for (const stage of STAGES) {
  console.log(`\n=== ${stage.title} ===`);
  await stage.run(databaseUrl, notifier).catch((error: unknown) => console.log(`${stage.title} raised: ${String(error)}`));
  const spans = exporter.getFinishedSpans().slice(seen);
  seen += spans.length;
  console.log(`\n${stage.title.split(" —")[0]} — span tree:`);
  printSpanTrees(spans);
}

const spans = exporter.getFinishedSpans();
const operation = (name: string) => spans.filter((s) => s.name.startsWith(`${name} `)).length;
const ids = new Set(spans.map((s) => s.spanContext().spanId));
console.log("\nOpenTelemetry summary");
console.log(`  total spans              ${spans.length}`);
console.log(`  invoke_agent spans       ${operation("invoke_agent")}`);
console.log(`  chat spans               ${operation("chat")}`);
console.log(`  execute_tool spans       ${operation("execute_tool")}`);
console.log(`  ERROR-status spans       ${spans.filter((s) => s.status.code === 2).length}`);
console.log(`  governance span events   ${spans.reduce((n, s) => n + s.events.filter((e) => e.name.startsWith("governance.")).length, 0)}`);

const invariants: [string, number][] = [
  ["invoke_agent carries dendrux.run.id", spans.filter((s) => s.name.startsWith("invoke_agent ") && !s.attributes["dendrux.run.id"]).length],
  ["chat / execute_tool have a live parent", spans.filter((s) => /^(chat|execute_tool) /.test(s.name) && !(s.parentSpanContext && ids.has(s.parentSpanContext.spanId))).length],
  [
    "chat has both usage attributes or neither",
    spans.filter((s) => s.name.startsWith("chat ") && ("gen_ai.usage.input_tokens" in s.attributes) !== ("gen_ai.usage.output_tokens" in s.attributes)).length,
  ],
];
console.log("\nInvariants");
for (const [label, violations] of invariants) console.log(`  ${label.padEnd(44)} ${violations === 0 ? "✓" : `✗ ${violations} violation(s)`}`);
printCoverage(tracker);
rmSync(tmp, { recursive: true, force: true });
