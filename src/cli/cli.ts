import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DendruxError } from "../errors/dendrux-error.js";
import { type Output, UsageError, makeOutput, resolveDatabaseUrl } from "./cli-context.js";

// Each command's module (and its database driver, Hono, …) is loaded only when that command runs,
// so `--version`, `help` and usage errors answer at once.
const readCommands = () => import("./read-commands.js");

type Options = NonNullable<ParseArgsConfig["options"]>;

const DB_OPTION = { db: { type: "string" } } as const satisfies Options;
const DB_HELP = "  --db URL|PATH      database URL or SQLite file (default: DENDRUX_DATABASE_URL, else ~/.dendrux/dendrux.db)";

const HELP: Record<string, string> = {
  "": `dendrux — inspect and operate durable agent runs

usage: dendrux <command> [options]

commands:
  runs               list runs, newest first (filters: status, agent, tenant, thread, metadata, since)
  traces RUN_ID      a run's conversation: messages, tool calls with arguments and results, pauses
  watch RUN_ID       follow a run's events live until it finishes
  dashboard          serve the web dashboard (default http://127.0.0.1:8001)
  db migrate         create or upgrade the schema (PostgreSQL needs this once)
  db status          show the schema revision
  help [COMMAND]     show help for a command

options:
${DB_HELP}
  --json             machine-readable output (runs, traces, watch)
  -v, --version      print the version
  -h, --help         show help

Commands that read never create a database: a missing SQLite file is an error.`,
  runs: `usage: dendrux runs [options]

  -n, --limit N          rows to show (default 20, at most 1000)
      --offset N         rows to skip (default 0)
      --before RUN_ID    the page after this run (the last id of the previous page); fast at any depth
  -s, --status STATUS    one of pending, running, waiting_client_tool, waiting_human_input, waiting_approval,
                         success, error, cancelled, max_iterations (repeat or comma-separate for several)
  -a, --agent NAME       agent name
  -t, --tenant ID        tenant id
      --thread ID        runs of one chat thread (metadata thread_id)
  -m, --metadata K=V     metadata key equals a string; K:=42 or K:=true for a number or boolean (repeatable)
      --since WHEN       created since a duration ago (30m, 2h, 7d) or an ISO date/time
      --json             print a JSON array
${DB_HELP}`,
  traces: `usage: dendrux traces [options] RUN_ID

  -t, --tools        also print the tool-call table
      --json         print {run, traces, tool_calls, pauses} as JSON
${DB_HELP}`,
  watch: `usage: dendrux watch [options] RUN_ID

Prints each event as it is written (LLM calls, tool calls, pauses, resumes) until the run finishes.
  --interval MS      how often to poll the database (default 500)
  --json             one JSON object per event
${DB_HELP}`,
  dashboard: `usage: dendrux dashboard [options]

  -p, --port PORT        port (default 8001; 0 picks a free one)
      --host HOST        interface (default 127.0.0.1); any other than loopback needs a token
      --auth-token TOKEN every /api/* request must send Authorization: Bearer TOKEN
                         (or set DENDRUX_DASHBOARD_TOKEN)
      --open             open it in a browser (the BROWSER command if set, else the system's)
${DB_HELP}`,
  db: `usage: dendrux db <migrate|status> [options]

  migrate   PostgreSQL: apply pending migrations; SQLite: create the schema
  status    current and head revision, pending migrations (exit 2 when any are pending)
  --db URL|PATH      database URL or SQLite file (default: DENDRUX_DATABASE_URL, else ./dendrux.db
                     in the current directory, as the Python CLI does)`,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** `parseArgs` in strict mode, its errors turned into usage errors naming the command. */
function parse(command: string, args: readonly string[], options: Options, allowPositionals = false): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  try {
    return parseArgs({ args: [...args], options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, ".");
    throw new UsageError(message, command);
  }
}

function integer(name: string, raw: string | undefined, fallback: number, command: string): number {
  if (raw === undefined) return fallback;
  if (!/^\s*-?\d+\s*$/.test(raw)) throw new UsageError(`--${name} must be an integer; got ${JSON.stringify(raw)}.`, command);
  return Number(raw);
}

function onePositional(command: string, positionals: readonly string[], name: string): string {
  if (positionals.length === 0) throw new UsageError(`missing ${name}.`, command);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}.`, command);
  return positionals[0]!;
}

/** Runs one CLI invocation; returns the exit code. */
export async function main(argv: readonly string[], out: Output = makeOutput(), err: Output = makeOutput(process.stderr)): Promise<number> {
  const [command, ...rest] = argv;
  const help = (topic: string) => {
    out.line(HELP[topic]!);
    return 0;
  };
  try {
    switch (command) {
      case undefined:
      case "-h":
      case "--help":
        return help("");
      case "-v":
      case "--version":
        out.line(`dendrux ${version()}`);
        return 0;
      case "help": {
        const topic = rest[0] ?? "";
        if (!(topic in HELP)) throw new UsageError(`no help for unknown command ${JSON.stringify(topic)}.`);
        return help(topic);
      }
      case "runs": {
        const { values } = parse("runs", rest, {
          ...DB_OPTION,
          limit: { type: "string", short: "n" },
          offset: { type: "string" },
          before: { type: "string" },
          status: { type: "string", short: "s", multiple: true },
          agent: { type: "string", short: "a" },
          tenant: { type: "string", short: "t" },
          thread: { type: "string" },
          metadata: { type: "string", short: "m", multiple: true },
          since: { type: "string" },
          json: { type: "boolean" },
        });
        if (values.help) return help("runs");
        const { runsCommand } = await readCommands();
        return await runsCommand(
          {
            db: values.db as string | undefined,
            limit: integer("limit", values.limit as string | undefined, 20, "runs"),
            offset: integer("offset", values.offset as string | undefined, 0, "runs"),
            ...(values.before !== undefined ? { before: values.before as string } : {}),
            status: (values.status as string[] | undefined) ?? [],
            ...(values.agent !== undefined ? { agent: values.agent as string } : {}),
            ...(values.tenant !== undefined ? { tenant: values.tenant as string } : {}),
            ...(values.thread !== undefined ? { thread: values.thread as string } : {}),
            metadata: (values.metadata as string[] | undefined) ?? [],
            ...(values.since !== undefined ? { since: values.since as string } : {}),
            json: values.json === true,
          },
          out,
        );
      }
      case "traces": {
        const { values, positionals } = parse("traces", rest, { ...DB_OPTION, tools: { type: "boolean", short: "t" }, json: { type: "boolean" } }, true);
        if (values.help) return help("traces");
        const { tracesCommand } = await readCommands();
        return await tracesCommand(onePositional("traces", positionals, "RUN_ID"), { db: values.db as string | undefined, tools: values.tools === true, json: values.json === true }, out);
      }
      case "watch": {
        const { values, positionals } = parse("watch", rest, { ...DB_OPTION, json: { type: "boolean" }, interval: { type: "string" } }, true);
        if (values.help) return help("watch");
        const intervalMs = integer("interval", values.interval as string | undefined, 500, "watch");
        if (intervalMs < 10) throw new UsageError("--interval must be at least 10 (milliseconds).", "watch");
        const { watchCommand } = await readCommands();
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once("SIGINT", onSignal);
        try {
          return await watchCommand(onePositional("watch", positionals, "RUN_ID"), { db: values.db as string | undefined, json: values.json === true, intervalMs, signal: stop.signal }, out);
        } finally {
          process.off("SIGINT", onSignal);
        }
      }
      case "dashboard": {
        const { values } = parse("dashboard", rest, { ...DB_OPTION, port: { type: "string", short: "p" }, host: { type: "string" }, "auth-token": { type: "string" }, open: { type: "boolean" } });
        if (values.help) return help("dashboard");
        const { dashboardCommand } = await import("./dashboard-command.js");
        return await dashboardCommand(
          {
            db: values.db as string | undefined,
            port: integer("port", values.port as string | undefined, 8001, "dashboard"),
            host: (values.host as string | undefined) ?? "127.0.0.1",
            ...(values["auth-token"] !== undefined ? { authToken: values["auth-token"] as string } : {}),
            open: values.open === true,
          },
          out,
        );
      }
      case "db": {
        const [sub, ...args] = rest;
        if (sub === undefined || sub === "-h" || sub === "--help") return help("db");
        if (sub !== "migrate" && sub !== "status") throw new UsageError(`unknown db subcommand ${JSON.stringify(sub)}; expected migrate or status.`, "db");
        const { values } = parse("db", args, DB_OPTION);
        if (values.help) return help("db");
        const url = resolveDatabaseUrl(values.db as string | undefined, resolve("dendrux.db"));
        const { dbMigrate, dbStatus } = await import("./db-commands.js");
        return await (sub === "migrate" ? dbMigrate(url, out) : dbStatus(url, out));
      }
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}.`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err.line(`dendrux${error.command ? ` ${error.command}` : ""}: ${error.message}`);
      err.line(`Run 'dendrux help${error.command ? ` ${error.command}` : ""}' for usage.`);
      return 2;
    }
    err.line(`dendrux: ${describeError(error)}`);
    return 1;
  }
}

/** A failure as one readable message: our errors as they are, driver errors with what to check. */
function describeError(error: unknown): string {
  if (DendruxError.isInstance(error)) return error.message;
  const e = error as NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[] };
  const code = e?.code ?? e?.errors?.[0]?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "3D000" || code === "28P01" || code === "28000") {
    return `cannot connect to the database: ${e.message || code}`;
  }
  return error instanceof Error ? error.message : String(error);
}

