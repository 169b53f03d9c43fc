#!/usr/bin/env node
import { dbMigrate, dbStatus } from "./db-commands.js";

const USAGE = `usage: dendrux <command>

commands:
  db migrate   bring the database in DENDRUX_DATABASE_URL to the current schema
  db status    show the schema revision of DENDRUX_DATABASE_URL`;

async function main(argv: readonly string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const [group, command] = argv;
  if (group === "db" && command === "migrate") return dbMigrate(out);
  if (group === "db" && command === "status") return dbStatus(out);
  process.stderr.write(`${USAGE}\n`);
  return group === undefined || group === "--help" || group === "-h" ? 0 : 2;
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
