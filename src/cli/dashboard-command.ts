import { resolve } from "node:path";
import { openDashboard } from "../dashboard/open-dashboard.js";
import { cliDatabaseUrl } from "./read-commands.js";

type Out = (line: string) => void;

/** `--db` takes a database URL or a bare SQLite file path. */
function databaseUrl(db: string | undefined): string {
  if (!db) return cliDatabaseUrl();
  return /^[a-z][a-z0-9+]*:/i.test(db) ? db : `sqlite:///${resolve(db)}`;
}

/** `dendrux dashboard`: serves the dashboard until the process is stopped. */
export async function dashboardCommand(options: { db?: string; port: number; host: string; authToken?: string }, out: Out): Promise<number> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error("--port must be an integer between 0 and 65535.");
  const url = databaseUrl(options.db);
  const dashboard = await openDashboard({ databaseUrl: url, authToken: options.authToken ?? null });
  const { serve } = await import("@hono/node-server");
  await new Promise<void>((ready) => {
    const server = serve({ fetch: dashboard.app.fetch, port: options.port, hostname: options.host }, (info) => {
      out(`Dendrux Dashboard running at http://${options.host === "0.0.0.0" ? "localhost" : options.host}:${info.port}`);
      out(`Database: ${url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@")}`);
      out("Press Ctrl+C to stop.");
      ready();
    });
    const stop = () => server.close(() => void dashboard.close().then(() => process.exit(0)));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await new Promise(() => undefined);
  return 0;
}
