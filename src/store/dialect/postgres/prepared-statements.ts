import { createHash } from "node:crypto";
import type { Pool, PoolClient, QueryConfig } from "pg";

/** The run writer's commits: few distinct texts, sent at every step. */
const HOT = /^WITH lease AS \(/;

/**
 * The store's reads (run lists, counts, events…): a few shapes per filter
 * combination, sent by every request. A read naming `*` is left unprepared: a
 * prepared `SELECT *` fails once another service adds a column to the table.
 */
export function isHot(text: string): boolean {
  if (HOT.test(text)) return true;
  return text.startsWith("select ") && !text.replaceAll("count(*)", "").includes("*");
}
/** Statement text → its prepared statement's name, or `null` when it is sent unprepared; decided once per text. */
const decided = new Map<string, string | null>();
const MAX_NAMES = 256;
const MAX_DECIDED = 1024;
let named = 0;

function nameOf(text: string): string | null {
  const known = decided.get(text);
  if (known !== undefined) return known;
  let name: string | null = null;
  if (isHot(text) && named < MAX_NAMES) {
    name = `dendrux_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    named++;
  }
  if (decided.size < MAX_DECIDED) decided.set(text, name);
  return name;
}

/**
 * Hands Kysely a pool whose connections send the hot statements (the writer's
 * commits, the store's reads) as named prepared statements: PostgreSQL parses
 * each text once per connection instead of at every step or request.
 * Everything else passes through.
 */
export function withPreparedStatements(pool: Pool): Pool {
  const wrap = (client: PoolClient): PoolClient =>
    new Proxy(client, {
      get(target, key, receiver) {
        if (key !== "query") {
          const value = Reflect.get(target, key, receiver) as unknown;
          return typeof value === "function" ? value.bind(target) : value;
        }
        return (config: unknown, values?: unknown, ...rest: unknown[]) => {
          if (typeof config === "string") {
            const name = nameOf(config);
            if (name) return target.query({ name, text: config, values } as QueryConfig, ...(rest as []));
          }
          return (target.query as (...args: unknown[]) => unknown)(config, values, ...rest);
        };
      },
    });
  return new Proxy(pool, {
    get(target, key, receiver) {
      if (key === "connect") {
        return async (...args: unknown[]) => {
          if (args.length > 0) return (target.connect as (...a: unknown[]) => unknown)(...args);
          return wrap(await target.connect());
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
