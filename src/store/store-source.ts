import type { Kysely } from "kysely";
import type { RunStore } from "./run-store.js";
import type { Database } from "./schema.js";

/**
 * A database connection shared by many agents (`new Agent({ store })`): a
 * `RunStore`, or your own `Kysely` instance over the dendrux tables. Whoever
 * opened it closes it; an agent never does.
 */
export type StoreSource = RunStore | Kysely<Database>;

/** Marks a `RunStore` without loading it (the `dendrux` entry point stays free of database code). */
export const RUN_STORE_BRAND: unique symbol = Symbol.for("dendrux.RunStore");

/** What `value` is as a store: a `RunStore`, a Kysely instance, or neither. */
export function storeSourceKind(value: unknown): "run-store" | "kysely" | null {
  if (typeof value !== "object" || value === null) return null;
  if ((value as Record<symbol, unknown>)[RUN_STORE_BRAND] === true) return "run-store";
  const v = value as Record<string, unknown>;
  return typeof v.selectFrom === "function" && typeof v.getExecutor === "function" && typeof v.destroy === "function" ? "kysely" : null;
}

const kyselyIds = new WeakMap<object, string>();
let nextKyselyId = 1;

/** One identity per Kysely instance: runs link to a parent only within one identity. */
export function kyselyIdentity(db: object): string {
  let id = kyselyIds.get(db);
  if (id === undefined) {
    id = `kysely:${nextKyselyId++}`;
    kyselyIds.set(db, id);
  }
  return id;
}
