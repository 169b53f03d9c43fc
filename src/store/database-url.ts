import { resolve } from "node:path";
import { ValidationError } from "../errors/validation-error.js";

/** A database location, whatever URL form it was written in. */
export type DatabaseTarget =
  | { readonly kind: "sqlite"; readonly path: string; readonly memory: boolean }
  | { readonly kind: "postgres"; readonly connectionString: string };

/**
 * Parses every accepted URL form: `sqlite:///relative.db`, `sqlite:////abs.db`,
 * `sqlite::memory:`, `postgres://…`, `postgresql://…`, and the reference's
 * SQLAlchemy forms (`sqlite+aiosqlite:///…`, `postgresql+asyncpg://…`), so one
 * `DENDRUX_DATABASE_URL` serves both implementations.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (typeof url !== "string" || url.length === 0) {
    throw new ValidationError({ field: "databaseUrl", message: "databaseUrl must be a non-empty string." });
  }
  const sqlite = /^sqlite(\+[a-z0-9]+)?:(.*)$/i.exec(url);
  if (sqlite) {
    const rest = sqlite[2]!;
    if (rest === ":memory:" || rest === "///:memory:" || rest === "//" || rest === "///") {
      return { kind: "sqlite", path: ":memory:", memory: true };
    }
    if (!rest.startsWith("///")) {
      throw new ValidationError({
        field: "databaseUrl",
        message: `Unsupported SQLite URL ${JSON.stringify(url)}: use sqlite:///relative.db, sqlite:////absolute.db or sqlite::memory:.`,
      });
    }
    const path = rest.slice(3).split("?")[0]!;
    return { kind: "sqlite", path: resolve(path), memory: false };
  }
  const pg = /^(postgres|postgresql)(\+[a-z0-9]+)?:\/\/(.*)$/i.exec(url);
  if (pg) return { kind: "postgres", connectionString: `postgresql://${pg[3]}` };
  throw new ValidationError({
    field: "databaseUrl",
    message: `Unsupported database URL ${JSON.stringify(redactDatabaseUrl(url))}: use sqlite:///…, sqlite::memory:, postgres://… or postgresql://….`,
  });
}

/** The URL with its password masked; everything up to the host's `@` is password (it may hold a raw `@`). */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^/]*@/, "//$1:***@");
}

/** Identity of a database without secrets: runs link to a parent only within one identity. */
export function databaseIdentity(target: DatabaseTarget): string {
  if (target.kind === "sqlite") return `sqlite:${target.path}`;
  return redactDatabaseUrl(target.connectionString);
}
