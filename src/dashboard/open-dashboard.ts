import type { Hono } from "hono";
import type { Agent } from "../agent/agent.js";
import { databaseIdentity, parseDatabaseUrl } from "../store/database-url.js";
import { createDialect, openPrepared } from "../store/dialect/create-dialect.js";
import { RunStore } from "../store/run-store.js";
import { SqlPersistence } from "../store/sql-persistence.js";
import { makeDashboardApp } from "./dashboard-app.js";

export interface DashboardOptions {
  readonly databaseUrl: string;
  /**
   * Require `Authorization: Bearer <token>` on `/api/*`. Without one the API
   * answers only requests addressed to localhost.
   */
  readonly authToken?: string | null;
  /**
   * Agents whose paused runs the dashboard may approve, answer or submit
   * results for (matched by `agent_name`; they must use the same database).
   * Any run can be cancelled.
   */
  readonly agents?: readonly Agent[];
}

export interface Dashboard extends AsyncDisposable {
  /** Serve `app.fetch` (e.g. with `@hono/node-server`), or mount it under a prefix. */
  readonly app: Hono;
  close(): Promise<void>;
}

/**
 * The web dashboard over a database: run list with search, run timelines,
 * chat threads, and actions on paused runs. A SQLite file gets its schema
 * first, so a fresh one shows as empty; PostgreSQL must have been migrated.
 */
export async function openDashboard(options: DashboardOptions): Promise<Dashboard> {
  const target = parseDatabaseUrl(options.databaseUrl);
  const dialect = createDialect(target);
  const db = await openPrepared(dialect);
  // Reads get their own store (read threads on a SQLite file, LISTEN on PostgreSQL); an in-memory database has one connection to share.
  const store = target.kind === "sqlite" && target.memory ? RunStore.fromKysely(db, dialect.kind) : RunStore.fromDatabaseUrl(options.databaseUrl);
  const writes = new SqlPersistence(db, dialect.adapter, databaseIdentity(target), false);
  const app = makeDashboardApp({
    store,
    authToken: options.authToken ?? null,
    agents: options.agents ?? [],
    cancelRun: async (runId) => {
      await writes.requestCancel(runId);
      await writes.cancelPaused(runId);
    },
  });
  const close = async () => {
    await store.close();
    await db.destroy();
  };
  return { app, close, [Symbol.asyncDispose]: close };
}
