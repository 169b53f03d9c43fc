import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import pc from "picocolors";
import { parseDatabaseUrl } from "../store/database-url.js";
import { DatabaseNotFoundError } from "../errors/database-not-found-error.js";

/** A mistake in how a command was called: printed with a hint, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** The command whose help the hint points at (`runs`, `db`), or `null` for the top level. */
  readonly command: string | null;

  constructor(message: string, command: string | null = null) {
    super(message);
    this.command = command;
  }
}

/** Where a command writes and how: aligned tables only on a terminal, colours there too unless `NO_COLOR` is set. */
export interface Output {
  readonly tty: boolean;
  readonly colors: ReturnType<typeof pc.createColors>;
  line(text?: string): void;
  json(value: unknown): void;
}

export function makeOutput(stream: NodeJS.WriteStream = process.stdout): Output {
  const tty = stream.isTTY === true;
  return {
    tty,
    colors: pc.createColors(tty && !process.env.NO_COLOR),
    line: (text = "") => void stream.write(`${text}\n`),
    json: (value) => void stream.write(`${JSON.stringify(value, null, tty ? 2 : undefined)}\n`),
  };
}

/** Prints rows: aligned columns with a bold header on a terminal, tab-separated otherwise. */
export function printTable(out: Output, header: readonly string[], rows: readonly (readonly string[])[]): void {
  if (!out.tty) {
    for (const row of [header, ...rows]) out.line(row.map((c) => c.replace(/[\t\n]/g, " ")).join("\t"));
    return;
  }
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "").length; // eslint-disable-line no-control-regex
  const all = [header.map((h) => out.colors.bold(h)), ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => visible(r[i] ?? ""))));
  for (const row of all) out.line(row.map((cell, i) => cell + " ".repeat(widths[i]! - visible(cell))).join("  ").trimEnd());
}

/**
 * The database a command uses: `--db` (a URL or a bare SQLite file path), else
 * `DENDRUX_DATABASE_URL`, else the SQLite file `fallbackPath`
 * (`~/.dendrux/dendrux.db`; `db` commands pass `./dendrux.db`).
 */
export function resolveDatabaseUrl(db: string | undefined, fallbackPath = join(homedir(), ".dendrux", "dendrux.db")): string {
  if (db !== undefined) {
    if (db.trim() === "") throw new UsageError("--db needs a database URL or a SQLite file path.");
    return /^[a-z][a-z0-9+]*:/i.test(db) ? db : `sqlite:///${resolve(db)}`;
  }
  return process.env.DENDRUX_DATABASE_URL ?? `sqlite:///${fallbackPath}`;
}

/** A database URL with its password masked, for printing (a password may hold a raw `@`). */
export { redactDatabaseUrl as redactUrl } from "../store/database-url.js";

/** A SQLite file that must already exist (commands that read never create one). */
export function requireExistingDatabase(url: string): void {
  const target = parseDatabaseUrl(url);
  if (target.kind === "sqlite" && !target.memory && !existsSync(target.path)) throw new DatabaseNotFoundError({ path: target.path });
}
