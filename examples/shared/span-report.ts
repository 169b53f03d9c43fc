/** Prints spans captured by an in-memory exporter as trees, for the OpenTelemetry examples. */
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

const ERROR = 2;

/** One line per span: status, name, duration, and the attributes worth reading. */
export function spanLabel(span: ReadableSpan): string {
  const a = span.attributes;
  const ms = Math.round(span.duration[0] * 1_000 + span.duration[1] / 1e6);
  const extras: string[] = [];
  if (a["gen_ai.usage.input_tokens"] !== undefined) extras.push(`tokens=${a["gen_ai.usage.input_tokens"]}/${a["gen_ai.usage.output_tokens"] ?? 0}`);
  if (a["dendrux.tool.name"] !== undefined) extras.push(`tool=${a["dendrux.tool.name"]} ok=${a["dendrux.tool.success"]}`);
  if (a["dendrux.run.status"] !== undefined) extras.push(`status=${a["dendrux.run.status"]}`);
  const governance = span.events.filter((e) => e.name.startsWith("governance.")).map((e) => e.name.slice("governance.".length));
  return `${span.status.code === ERROR ? "ERR" : "OK "} ${span.name}  ${ms}ms${extras.length ? ` (${extras.join(" · ")})` : ""}${governance.length ? ` · gov: ${governance.join(", ")}` : ""}`;
}

/** Each root (a span whose parent is not among `spans`) with its descendants, indented. */
export function printSpanTrees(spans: readonly ReadableSpan[]): void {
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  const children = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    if (parent && ids.has(parent)) children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const byStart = (a: ReadableSpan, b: ReadableSpan) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1];
  const print = (span: ReadableSpan, depth: number): void => {
    console.log(`${"  ".repeat(depth + 1)}${depth > 0 ? "└ " : ""}${spanLabel(span)}`);
    for (const child of (children.get(span.spanContext().spanId) ?? []).sort(byStart)) print(child, depth + 1);
  };
  for (const root of spans.filter((s) => !s.parentSpanContext || !ids.has(s.parentSpanContext.spanId)).sort(byStart)) print(root, 0);
}
