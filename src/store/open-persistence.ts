import type { DatabaseOptions } from "./database-options.js";
import { RunStore } from "./run-store.js";
import { type StoreSource, storeSourceKind } from "./store-source.js";

/**
 * Where agents get their persistence: every agent with a database writes
 * through a `RunStore`. Which one, and who closes it, is the only difference
 * between the three ways of configuring a database.
 */

/** An agent's own store for its `databaseUrl`: opened on first use, closed by the agent's `close()`. */
export function privateStore(url: string, databaseOptions: DatabaseOptions | undefined): RunStore {
  return RunStore.fromDatabaseUrl(url, databaseOptions ? { databaseOptions } : {});
}

const processStores = new Map<string, RunStore>();

/**
 * One store per URL for the whole process, for agents configured through
 * `DENDRUX_DATABASE_URL`: they share its pool and never close it.
 */
export function processStore(url: string): RunStore {
  let store = processStores.get(url);
  if (!store) {
    store = RunStore.fromDatabaseUrl(url);
    processStores.set(url, store);
  }
  return store;
}

const kyselyStores = new WeakMap<object, RunStore>();

/** The store for `new Agent({ store })`: a `RunStore` as it is, a Kysely instance wrapped once. */
export function sharedStore(source: StoreSource): RunStore {
  if (storeSourceKind(source) === "run-store") return source as RunStore;
  let store = kyselyStores.get(source);
  if (!store) {
    store = RunStore.fromKysely(source as Exclude<StoreSource, RunStore>);
    kyselyStores.set(source, store);
  }
  return store;
}
