import { ValidationError } from "../errors/validation-error.js";
import type { Persistence } from "../runtime/persistence.js";
import { databaseIdentity, parseDatabaseUrl } from "../store/database-url.js";
import { type DatabaseOptions, validateDatabaseOptions } from "../store/database-options.js";
import type { RunStore } from "../store/run-store.js";
import { kyselyIdentity, type StoreSource, storeSourceKind } from "../store/store-source.js";

/**
 * Where an agent's runs are written: nowhere (in-memory runs), its own pool
 * (`databaseUrl`, closed by `agent.close()`), a store shared with other agents
 * (`store`), or the process-wide store of `DENDRUX_DATABASE_URL`. The last two
 * are never closed by an agent.
 */
export type DatabaseSource =
  | { readonly kind: "none" }
  | { readonly kind: "private"; readonly url: string; readonly options: DatabaseOptions | undefined; readonly identity: string }
  | { readonly kind: "shared"; readonly store: StoreSource; readonly identity: string }
  | { readonly kind: "process"; readonly url: string; readonly identity: string };

export interface DatabaseChoice {
  readonly databaseUrl?: string;
  readonly databaseOptions?: DatabaseOptions;
  readonly store?: StoreSource;
}

const urlIdentity = (url: string) => databaseIdentity(parseDatabaseUrl(url));

/** Resolves and checks the database options at construction; an empty URL is a mistake, never "no database". */
export function resolveDatabaseSource(options: DatabaseChoice): DatabaseSource {
  const { databaseUrl, databaseOptions, store } = options;
  if (store !== undefined && databaseUrl !== undefined) {
    throw new ValidationError({ field: "store", message: "databaseUrl and store are mutually exclusive. Pass one or the other." });
  }
  if (databaseOptions !== undefined && databaseUrl === undefined) {
    throw new ValidationError({
      field: "databaseOptions",
      message: "databaseOptions requires databaseUrl. A shared store takes its options where it is opened: RunStore.fromDatabaseUrl(url, { databaseOptions }).",
    });
  }
  if (store !== undefined) {
    const kind = storeSourceKind(store);
    if (kind === null) {
      throw new ValidationError({ field: "store", message: "store must be a RunStore (RunStore.fromDatabaseUrl(url, { databaseOptions })) or a Kysely instance over the dendrux tables." });
    }
    return { kind: "shared", store, identity: kind === "run-store" ? (store as RunStore).identity : kyselyIdentity(store) };
  }
  if (databaseUrl !== undefined) {
    if (typeof databaseUrl !== "string" || databaseUrl.trim() === "") {
      throw new ValidationError({ field: "databaseUrl", message: "databaseUrl is empty. Pass a database URL (sqlite:///app.db, postgresql://…), or leave it out for in-memory runs." });
    }
    const checked = databaseOptions === undefined ? undefined : validateDatabaseOptions(databaseOptions);
    return { kind: "private", url: databaseUrl, options: checked, identity: urlIdentity(databaseUrl) };
  }
  const fromEnv = process.env.DENDRUX_DATABASE_URL;
  if (fromEnv === undefined) return { kind: "none" };
  if (fromEnv.trim() === "") {
    throw new ValidationError({ field: "databaseUrl", message: "DENDRUX_DATABASE_URL is set but empty. Set it to a database URL, or unset it for in-memory runs." });
  }
  return { kind: "process", url: fromEnv, identity: urlIdentity(fromEnv) };
}

/**
 * The persistence behind one agent's database source. The private store is
 * kept here so `close()` can close it (and a later run opens a new one).
 */
export class AgentDatabase {
  readonly source: DatabaseSource;
  #private: RunStore | null = null;

  constructor(source: DatabaseSource) {
    this.source = source;
  }

  get configured(): boolean {
    return this.source.kind !== "none";
  }

  get identity(): string | null {
    return this.source.kind === "none" ? null : this.source.identity;
  }

  async persistence(): Promise<Persistence | null> {
    const source = this.source;
    if (source.kind === "none") return null;
    const stores = await import("../store/open-persistence.js");
    switch (source.kind) {
      case "private":
        this.#private ??= stores.privateStore(source.url, source.options);
        return this.#private.persistence();
      case "shared":
        return stores.sharedStore(source.store).persistence();
      case "process":
        return stores.processStore(source.url).persistence();
    }
  }

  /** Closes the agent's own pool, if it opened one; shared and process-wide stores stay open. */
  async close(): Promise<void> {
    const own = this.#private;
    this.#private = null;
    await own?.close();
  }
}
