import { homedir } from "node:os";
import { join } from "node:path";
import pc from "picocolors";
import { parseDatabaseUrl } from "../store/database-url.js";
import { createDialect } from "../store/dialect/create-dialect.js";
import { RunStore } from "../store/run-store.js";
import type { RunStatus } from "../types/run-status.js";

type Out = (line: string) => void;

/** `DENDRUX_DATABASE_URL`, else the per-user default file. */
export function cliDatabaseUrl(): string {
  return process.env.DENDRUX_DATABASE_URL ?? `sqlite:///${join(homedir(), ".dendrux", "dendrux.db")}`;
}

/** A store on the CLI's database; a SQLite file gets its schema first, so a fresh one reads as empty. */
async function openStore(): Promise<RunStore> {
  const url = cliDatabaseUrl();
  const target = parseDatabaseUrl(url);
  if (target.kind === "sqlite") {
    const dialect = createDialect(target);
    const db = await dialect.createKysely();
    try {
      await dialect.prepare(db);
    } finally {
      await db.destroy();
    }
  }
  return RunStore.fromDatabaseUrl(url);
}

const STATUS_COLOUR: Record<string, (s: string) => string> = {
  success: pc.green,
  error: pc.red,
  cancelled: pc.yellow,
  max_iterations: pc.yellow,
  running: pc.cyan,
};

function table(rows: string[][], out: Out): void {
  // Column widths from the visible text (colour codes excluded).
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "").length; // eslint-disable-line no-control-regex
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => visible(r[i]!))));
  for (const row of rows) out(row.map((cell, i) => cell + " ".repeat(widths[i]! - visible(cell))).join("  ").trimEnd());
}

const created = (d: Date | null) => (d ? d.toISOString().slice(0, 19).replace("T", " ") : "—");

/** `dendrux runs`: the newest runs, every status included. */
export async function listRunsCommand(options: { limit: number; offset: number; status?: string; tenant?: string }, out: Out): Promise<number> {
  await using store = await openStore();
  const runs = await store.listRuns({
    limit: Math.min(options.limit, 1000),
    offset: Math.max(0, options.offset),
    ...(options.status ? { status: options.status as RunStatus } : {}),
    ...(options.tenant ? { tenantId: options.tenant } : {}),
  });
  if (runs.length === 0) {
    out("No runs found.");
    return 0;
  }
  out(pc.bold("Agent Runs"));
  const rows = [["ID", "Agent", "Status", "Iters", "Tokens", "Model", "Created"].map((h) => pc.bold(h))];
  for (const r of runs) {
    const tokens = r.totalInputTokens + r.totalOutputTokens;
    rows.push([
      r.runId,
      r.agentName,
      (STATUS_COLOUR[r.status] ?? pc.magenta)(r.status),
      String(r.iterationCount),
      tokens ? tokens.toLocaleString("en-US") : "—",
      r.model ?? "—",
      created(r.createdAt),
    ]);
  }
  table(rows, out);
  return 0;
}

/** `dendrux traces RUN_ID`: the run's conversation, and with `--tools` its tool calls. */
export async function tracesCommand(runId: string, options: { tools: boolean }, out: Out): Promise<number> {
  await using store = await openStore();
  const run = await store.getRun(runId);
  if (!run) {
    out(`Run not found: ${runId}`);
    return 1;
  }
  out(pc.bold(`Run ${run.runId}`));
  out(`${run.agentName}  •  ${run.status}  •  ${run.iterationCount} iterations  •  model: ${run.model ?? "—"}`);
  const traces = await store.getTraces(runId);
  if (traces.length === 0) out("No traces recorded.");
  for (const t of traces) {
    out("");
    out(pc.cyan(`[${t.orderIndex}] ${t.role}`));
    out(t.content.length > 500 ? `${t.content.slice(0, 500)}\n… (${t.content.length} chars total)` : t.content);
  }
  if (!options.tools) return 0;
  const calls = await store.getToolInvocations(runId);
  out("");
  if (calls.length === 0) {
    out("No tool calls recorded.");
    return 0;
  }
  out(pc.bold("Tool Calls"));
  const rows = [["Tool", "Success", "Duration", "Iter", "Error"].map((h) => pc.bold(h))];
  for (const c of calls) {
    rows.push([c.toolName, c.success ? pc.green("✓") : pc.red("✗"), c.durationMs ? `${c.durationMs}ms` : "—", String(c.iteration), c.error ?? ""]);
  }
  table(rows, out);
  return 0;
}
