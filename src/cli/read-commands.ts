import { eventJson, pauseJson, runDetailJson, runSummaryJson, toolInvocationJson, traceJson } from "../http/wire.js";
import type { ListRunsOptions, MetadataFilter } from "../store/run-store.js";
import type { PausePair, StoredEvent, TraceEntry } from "../store/records.js";
import { ValidationError } from "../errors/validation-error.js";
import { RunStatus } from "../types/run-status.js";
import { RunStore } from "../store/run-store.js";
import { type Output, UsageError, printTable, resolveDatabaseUrl } from "./cli-context.js";

/** A read-only store on the command's database; one command at a time, so its reads need no threads of their own. */
function openReadStore(db: string | undefined, pollIntervalMs?: number): RunStore {
  return RunStore.fromDatabaseUrl(resolveDatabaseUrl(db), { readOnly: true, listConnections: 0, ...(pollIntervalMs !== undefined ? { pollIntervalMs } : {}) });
}

const STATUSES: readonly string[] = Object.values(RunStatus);
const TERMINAL_EVENTS = new Set(["run.completed", "run.error", "run.cancelled", "run.interrupted", "run.abandoned"]);

export interface RunsCommandOptions {
  readonly db?: string;
  readonly limit: number;
  readonly offset: number;
  /** Keyset pagination: runs after this one (newest first). */
  readonly before?: string;
  readonly status?: readonly string[];
  readonly tenant?: string;
  readonly agent?: string;
  readonly thread?: string;
  readonly metadata?: readonly string[];
  readonly since?: string;
  readonly json: boolean;
}

/** `--status` values: each must be a run status; commas or repeats give several. */
export function parseStatuses(values: readonly string[]): RunStatus[] {
  const out: RunStatus[] = [];
  for (const value of values.flatMap((v) => v.split(",")).map((v) => v.trim())) {
    if (!STATUSES.includes(value)) throw new UsageError(`--status: unknown status ${JSON.stringify(value)}; expected one of ${STATUSES.join(", ")}.`, "runs");
    out.push(value as RunStatus);
  }
  return out;
}

/** `--metadata key=value` (a string) or `key:=json` (a number or boolean, e.g. `tier:=2`, `vip:=true`). */
export function parseMetadata(pairs: readonly string[]): MetadataFilter {
  const filter: Record<string, string | number | boolean> = {};
  for (const pair of pairs) {
    const typed = /^([^=:]+):=(.*)$/.exec(pair);
    const plain = /^([^=]+)=(.*)$/.exec(pair);
    if (typed) {
      const value: unknown = (() => {
        try {
          return JSON.parse(typed[2]!);
        } catch {
          return undefined;
        }
      })();
      if (typeof value !== "number" && typeof value !== "boolean") {
        throw new UsageError(`--metadata ${pair}: after ":=" give a number or true/false (use key=value for a string).`, "runs");
      }
      filter[typed[1]!] = value;
    } else if (plain) {
      filter[plain[1]!] = plain[2]!;
    } else {
      throw new UsageError(`--metadata ${JSON.stringify(pair)}: expected key=value (or key:=number, key:=true).`, "runs");
    }
  }
  return filter;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a duration back from now (`30m`, `2h`, `7d`) or an ISO 8601 date/time. */
export function parseSince(value: string, now = Date.now()): Date {
  const relative = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (relative) return new Date(now - Number(relative[1]) * UNITS[relative[2]!]!);
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed)) throw new UsageError(`--since ${JSON.stringify(value)}: give a duration (30m, 2h, 7d) or an ISO date (2026-01-31, 2026-01-31T09:00Z).`, "runs");
  return new Date(parsed);
}

const created = (d: Date | null) => (d ? d.toISOString().slice(0, 19).replace("T", " ") : "—");
const money = (c: number | null) => (c === null ? "—" : `$${c.toFixed(4)}`);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function statusColour(out: Output, status: string): string {
  const c = out.colors;
  const paint: Record<string, (s: string) => string> = { success: c.green, error: c.red, cancelled: c.dim, max_iterations: c.magenta, running: c.yellow };
  return (paint[status] ?? c.cyan)(status);
}

/** `dendrux runs`: the newest runs, every status included. */
export async function runsCommand(options: RunsCommandOptions, out: Output): Promise<number> {
  const metadata = { ...parseMetadata(options.metadata ?? []), ...(options.thread !== undefined ? { thread_id: options.thread } : {}) };
  const query: ListRunsOptions = {
    limit: Math.min(Math.max(1, options.limit), 1000),
    offset: Math.max(0, options.offset),
    ...(options.before !== undefined ? { before: options.before } : {}),
    ...(options.status && options.status.length > 0 ? { status: parseStatuses(options.status) } : {}),
    ...(options.tenant ? { tenantId: options.tenant } : {}),
    ...(options.agent ? { agentName: options.agent } : {}),
    ...(Object.keys(metadata).length > 0 ? { metadataFilter: metadata } : {}),
    ...(options.since !== undefined ? { startedAfter: parseSince(options.since) } : {}),
  };
  await using store = openReadStore(options.db);
  let runs: Awaited<ReturnType<RunStore["listRuns"]>>;
  try {
    runs = await store.listRuns(query);
  } catch (error) {
    if (error instanceof ValidationError && error.field === "before") throw new UsageError(`--before ${JSON.stringify(options.before)}: no run with this id.`, "runs");
    throw error;
  }
  if (options.json) {
    out.json(runs.map(runSummaryJson));
    return 0;
  }
  if (runs.length === 0) {
    out.line(out.colors.dim("No runs found."));
    return 0;
  }
  if (out.tty) out.line(out.colors.bold("Agent Runs"));
  const rows = runs.map((r) => {
    const tokens = r.totalInputTokens + r.totalOutputTokens;
    return [
      out.colors.cyan(r.runId),
      r.agentName,
      statusColour(out, r.status),
      String(r.iterationCount),
      tokens ? tokens.toLocaleString("en-US") : "—",
      money(r.totalCostUsd),
      r.model ?? "—",
      created(r.createdAt),
    ];
  });
  printTable(out, ["ID", "Agent", "Status", "Iters", "Tokens", "Cost", "Model", "Created"], rows);
  if (runs.length === query.limit) out.line(out.colors.dim(`older: dendrux runs --before ${runs[runs.length - 1]!.runId} (with the same filters)`));
  return 0;
}

interface TraceCall {
  readonly id?: string;
  readonly name?: string;
  readonly params?: unknown;
}

function pauseLines(out: Output, p: PausePair): string[] {
  const c = out.colors;
  const lines = [c.yellow(`⏸ paused: ${p.reason}${p.pauseAt ? ` at ${created(p.pauseAt)}` : ""}`)];
  for (const call of p.pendingToolCalls as { id?: string; name?: string; target?: string; params?: unknown }[]) {
    lines.push(`  pending ${call.name ?? "?"}(${clip(JSON.stringify(call.params ?? {}), 200)})${call.target ? ` on ${call.target}` : ""}  [${call.id ?? "?"}]`);
  }
  if (p.resumeAt === null) {
    lines.push(c.yellow("  still waiting"));
    return lines;
  }
  const waited = p.pauseAt ? ` after ${Math.round((p.resumeAt.getTime() - p.pauseAt.getTime()) / 100) / 10}s` : "";
  lines.push(c.green(`▶ resumed${waited}`));
  for (const r of p.submittedResults as { call_id?: string; name?: string; success?: boolean; payload?: unknown }[]) {
    lines.push(`  submitted ${r.name ?? "?"} ${r.success === false ? "✗" : "✓"}${r.payload !== undefined ? ` ${clip(typeof r.payload === "string" ? r.payload : JSON.stringify(r.payload), 200)}` : ""}`);
  }
  if (p.userInput !== null && p.userInput !== undefined) lines.push(`  user input: ${clip(String(p.userInput), 500)}`);
  return lines;
}

/** `dendrux traces RUN_ID`: the conversation with each tool call's arguments and result, and every pause. */
export async function tracesCommand(runId: string, options: { db?: string; tools: boolean; json: boolean }, out: Output): Promise<number> {
  await using store = openReadStore(options.db);
  const run = await store.getRun(runId);
  if (!run) {
    if (options.json) out.json({ detail: `Run '${runId}' not found.` });
    else out.line(`Run not found: ${runId}`);
    return 1;
  }
  const [traces, pauses, calls] = await Promise.all([store.getTraces(runId), store.getPauses(runId), store.getToolInvocations(runId)]);
  if (options.json) {
    out.json({ run: runDetailJson(run), traces: traces.map(traceJson), tool_calls: calls.map(toolInvocationJson), pauses: pauses.map(pauseJson) });
    return 0;
  }
  const c = out.colors;
  const tokens = run.totalInputTokens + run.totalOutputTokens;
  out.line(c.bold(`Run ${run.runId}`));
  out.line(`${c.bold(run.agentName)}  •  ${statusColour(out, run.status)}  •  ${run.iterationCount} iterations  •  model: ${run.model ?? "—"}  •  ${tokens.toLocaleString("en-US")} tokens  •  ${money(run.totalCostUsd)}`);
  if (run.error) out.line(c.red(`error: ${run.error}`));
  const byCallId = new Map(calls.map((t) => [t.toolCallId, t]));
  if (traces.length === 0) out.line(c.dim("No traces recorded."));
  const pending = [...pauses];
  const flushPauses = (before: TraceEntry | null) => {
    while (pending.length > 0 && (before === null || (pending[0]!.pauseAt && before.createdAt && pending[0]!.pauseAt <= before.createdAt))) {
      out.line("");
      for (const line of pauseLines(out, pending.shift()!)) out.line(line);
    }
  };
  for (const t of traces) {
    flushPauses(t);
    const meta = (t.meta ?? {}) as { tool_calls?: TraceCall[]; call_id?: string; tool_name?: string };
    const roleColour = t.role === "user" ? c.green : t.role === "assistant" ? c.blue : t.role === "tool" ? c.yellow : (s: string) => s;
    out.line("");
    out.line(c.bold(roleColour(`[${t.orderIndex}] ${t.role}`)));
    if (t.content) out.line(t.content.length > 500 ? `${t.content.slice(0, 500)}\n… (${t.content.length} chars total)` : t.content);
    for (const call of meta.tool_calls ?? []) out.line(c.cyan(`→ ${call.name ?? "?"}(${clip(JSON.stringify(call.params ?? {}), 500)})  [${call.id ?? "?"}]`));
    if (t.role === "tool" && meta.call_id) {
      const row = byCallId.get(meta.call_id);
      const status = row ? `${row.success ? c.green("✓") : c.red("✗")}${row.durationMs ? ` ${row.durationMs}ms` : ""}${row.target !== "server" ? ` (${row.target})` : ""}` : "";
      out.line(c.dim(`← ${meta.tool_name ?? row?.toolName ?? "?"} ${status}${row?.error ? ` ${row.error}` : ""}`.trimEnd()));
    }
  }
  flushPauses(null);
  if (!options.tools) return 0;
  out.line("");
  if (calls.length === 0) {
    out.line(c.dim("No tool calls recorded."));
    return 0;
  }
  if (out.tty) out.line(c.bold("Tool Calls"));
  printTable(
    out,
    ["Tool", "Success", "Duration", "Iter", "Error"],
    calls.map((t) => [t.toolName, t.success ? c.green("✓") : c.red("✗"), t.durationMs ? `${t.durationMs}ms` : "—", String(t.iteration), t.error ?? ""]),
  );
  return 0;
}

function eventLine(out: Output, e: StoredEvent): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const at = e.createdAt ? e.createdAt.toISOString().slice(11, 19) : "--:--:--";
  const detail: string[] = [];
  if (e.eventType === "llm.completed") detail.push(`${Number(d.input_tokens ?? 0) + Number(d.output_tokens ?? 0)} tokens`, d.cost_usd !== null && d.cost_usd !== undefined ? money(Number(d.cost_usd)) : "", String(d.model ?? ""));
  else if (e.eventType === "tool.completed") detail.push(String(d.tool_name ?? ""), d.success === false ? "✗" : "✓", d.duration_ms ? `${String(d.duration_ms)}ms` : "");
  else if (e.eventType === "run.paused") detail.push(String(d.status ?? ""), ...((d.pending_tool_calls as { name?: string }[] | undefined) ?? []).map((p) => `pending ${p.name ?? "?"}`));
  else if (e.eventType === "run.completed") detail.push(String(d.status ?? ""));
  else if (e.eventType === "run.error") detail.push(String(d.error ?? ""));
  else if (d.tool_name) detail.push(String(d.tool_name));
  const colour = e.eventType === "run.error" ? out.colors.red : e.eventType === "run.paused" ? out.colors.yellow : e.eventType === "run.completed" ? out.colors.green : (s: string) => s;
  return `${out.colors.dim(at)}  #${e.sequenceIndex}  ${colour(e.eventType)}  ${detail.filter(Boolean).join("  ")}`.trimEnd();
}

/**
 * `dendrux watch RUN_ID`: prints the run's events as they are written (polling
 * the database) until it finishes; a pause is shown and followed through.
 */
export async function watchCommand(runId: string, options: { db?: string; json: boolean; intervalMs: number; signal?: AbortSignal }, out: Output): Promise<number> {
  await using store = openReadStore(options.db, options.intervalMs);
  const run = await store.getRun(runId);
  if (!run) {
    out.line(`Run not found: ${runId}`);
    return 1;
  }
  if (!options.json) out.line(out.colors.bold(`Watching ${run.runId} (${run.agentName}) — ${run.status}`));
  const controller = new AbortController();
  options.signal?.addEventListener("abort", () => controller.abort(), { once: true });
  let last: StoredEvent | null = null;
  for await (const event of store.streamEvents(runId, { signal: controller.signal })) {
    last = event;
    if (options.json) out.json(eventJson(event));
    else out.line(eventLine(out, event));
    if (TERMINAL_EVENTS.has(event.eventType)) break;
  }
  if (!last || !TERMINAL_EVENTS.has(last.eventType)) return 130;
  const final = await store.getRun(runId);
  if (!options.json && final) {
    const tokens = final.totalInputTokens + final.totalOutputTokens;
    out.line(out.colors.bold(`${final.status}  •  ${final.iterationCount} iterations  •  ${tokens.toLocaleString("en-US")} tokens  •  ${money(final.totalCostUsd)}`));
  }
  return 0;
}
