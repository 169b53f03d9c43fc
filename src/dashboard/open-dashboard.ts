import type { Hono } from "hono";
import { parseDatabaseUrl } from "../store/database-url.js";
import { DashboardReader } from "../store/dashboard-reader.js";
import { createDialect } from "../store/dialect/create-dialect.js";
import { makeDashboardApp } from "./dashboard-app.js";

export interface DashboardOptions {
  readonly databaseUrl: string;
  /** Require `Authorization: Bearer <token>` on `/api/*`. */
  readonly authToken?: string | null;
}

export interface Dashboard extends AsyncDisposable {
  /** Serve `app.fetch` (e.g. with `@hono/node-server`), or mount it under a prefix. */
  readonly app: Hono;
  close(): Promise<void>;
}

/**
 * The web dashboard over a database: run list, run timeline, payload
 * inspector. Read-only. A SQLite file gets its schema first, so a fresh one
 * shows as empty.
 */
export async function openDashboard(options: DashboardOptions): Promise<Dashboard> {
  const target = parseDatabaseUrl(options.databaseUrl);
  const dialect = createDialect(target);
  const db = await dialect.createKysely();
  if (target.kind === "sqlite") await dialect.prepare(db);
  const app = makeDashboardApp({ reader: new DashboardReader(db, dialect.adapter), authToken: options.authToken ?? null });
  const close = () => db.destroy();
  return { app, close, [Symbol.asyncDispose]: close };
}
