import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { afterAll, beforeAll } from "vitest";
import { RunStore } from "../../src/store/index.js";
import { createDialect } from "../../src/store/dialect/create-dialect.js";
import type { StoreAdapter } from "../../src/store/dialect/store-dialect.js";
import type { Database } from "../../src/store/schema.js";
import { migratePostgres } from "../../src/store/migrate.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { describeRequiring, requirement } from "./requirements.js";

/** A fresh, empty database for one test file. */
export interface TestDatabase {
  readonly kind: "sqlite" | "postgres";
  readonly url: string;
  cleanup(): Promise<void>;
}

export interface Backend {
  readonly name: "sqlite" | "postgres";
  /** Why this backend is skipped, or `null` when it runs. */
  readonly skipReason: string | null;
  create(options?: { migrate?: boolean }): Promise<TestDatabase>;
}

const PG_ADMIN_URL = process.env.DENDRUX_TEST_POSTGRES_URL ?? null;
const PG_MISSING = requirement(PG_ADMIN_URL ? null : "DENDRUX_TEST_POSTGRES_URL is not set, so the PostgreSQL tests cannot run");

/**
 * Runs `fn` on a short-lived direct connection to a test database: set-up and
 * inspection that go around dendrux on purpose (aged clocks, triggers, raw rows).
 */
export async function withDatabase<T>(url: string, fn: (db: Kysely<Database>, adapter: StoreAdapter) => Promise<T>): Promise<T> {
  const dialect = createDialect(parseDatabaseUrl(url));
  const db = await dialect.createKysely();
  try {
    return await fn(db, dialect.adapter);
  } finally {
    await db.destroy();
  }
}

async function withAdmin<T>(fn: (client: import("pg").Client) => Promise<T>): Promise<T> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: PG_ADMIN_URL! });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const BACKENDS: readonly Backend[] = [
  {
    name: "sqlite",
    skipReason: null,
    async create() {
      const dir = mkdtempSync(join(tmpdir(), "dendrux-test-"));
      return { kind: "sqlite", url: `sqlite:///${join(dir, "runs.db")}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: "postgres",
    skipReason: PG_MISSING,
    async create({ migrate = true } = {}) {
      const name = `dx_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
      const base = new URL(PG_ADMIN_URL!);
      base.pathname = `/${name}`;
      const url = base.toString();
      if (migrate) {
        const result = await withDatabase(url, (db) => migratePostgres(db));
        if (result.error) throw result.error;
      }
      return {
        kind: "postgres",
        url,
        cleanup: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
      };
    },
  },
];

/** Registers one `describe` per backend; a skipped backend says why in its title. */
export function describeEachBackend(title: string, fn: (backend: Backend) => void): void {
  for (const backend of BACKENDS) describeRequiring(backend.skipReason, `${title} [${backend.name}]`, () => fn(backend));
}

/**
 * A fresh database and a `RunStore` on it for one suite (created before its
 * tests, dropped after). Agents passed to `track` are closed at the end.
 */
export function useRunDatabase(backend: Backend): {
  readonly url: string;
  readonly store: RunStore;
  track<T extends { close(): Promise<void> }>(closable: T): T;
} {
  let database: TestDatabase | null = null;
  let store: RunStore | null = null;
  const tracked: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
  });
  afterAll(async () => {
    await Promise.all(tracked.map((c) => c.close()));
    await store?.close();
    await database?.cleanup();
  });
  return {
    get url() {
      return database!.url;
    },
    get store() {
      return store!;
    },
    track(closable) {
      tracked.push(closable);
      return closable;
    },
  };
}
