#!/usr/bin/env node
import { parseArgs } from "node:util";
import { dbMigrate, dbStatus } from "./db-commands.js";
import { dashboardCommand } from "./dashboard-command.js";
import { listRunsCommand, tracesCommand } from "./read-commands.js";

const USAGE = `usage: dendrux <command>

commands:
  runs [-n LIMIT] [--offset N] [-s STATUS] [-t TENANT]   list the newest runs
  traces [--tools] RUN_ID                                  show a run's conversation (and tool calls)
  db migrate                                               bring DENDRUX_DATABASE_URL to the current schema
  db status                                                show the schema revision of DENDRUX_DATABASE_URL
  dashboard [--db URL|PATH] [-p PORT] [--host H] [--auth-token T]   serve the web dashboard (default port 8001)

The database is DENDRUX_DATABASE_URL (runs/traces default to ~/.dendrux/dendrux.db).`;

async function main(argv: readonly string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const [command, ...rest] = argv;
  if (command === "db" && rest[0] === "migrate") return dbMigrate(out);
  if (command === "db" && rest[0] === "status") return dbStatus(out);
  if (command === "runs") {
    const { values } = parseArgs({
      args: rest,
      options: { limit: { type: "string", short: "n", default: "20" }, offset: { type: "string", default: "0" }, status: { type: "string", short: "s" }, tenant: { type: "string", short: "t" } },
    });
    const limit = Number(values.limit);
    const offset = Number(values.offset);
    if (!Number.isInteger(limit) || !Number.isInteger(offset)) throw new Error("--limit and --offset must be integers.");
    return listRunsCommand({ limit, offset, ...(values.status ? { status: values.status } : {}), ...(values.tenant ? { tenant: values.tenant } : {}) }, out);
  }
  if (command === "dashboard") {
    const { values } = parseArgs({
      args: rest,
      options: { db: { type: "string" }, port: { type: "string", short: "p", default: "8001" }, host: { type: "string", default: "127.0.0.1" }, "auth-token": { type: "string" } },
    });
    return dashboardCommand({ db: values.db, port: Number(values.port), host: values.host, authToken: values["auth-token"] }, out);
  }
  if (command === "traces") {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { tools: { type: "boolean", short: "t", default: false } } });
    if (positionals.length !== 1) throw new Error("usage: dendrux traces [--tools] RUN_ID");
    return tracesCommand(positionals[0]!, { tools: values.tools }, out);
  }
  // Asked-for help goes to stdout; a wrong command gets usage on stderr and exit 2.
  const asked = command === "--help" || command === "-h";
  (asked ? process.stdout : process.stderr).write(`${USAGE}\n`);
  return asked || command === undefined ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`dendrux: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
