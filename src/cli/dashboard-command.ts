import { openDashboard } from "../dashboard/open-dashboard.js";
import { isLoopbackHost } from "../dashboard/dashboard-app.js";
import { type Output, UsageError, redactUrl, requireExistingDatabase, resolveDatabaseUrl } from "./cli-context.js";

export interface DashboardCommandOptions {
  readonly db?: string;
  readonly port: number;
  readonly host: string;
  readonly authToken?: string;
  /** Open the dashboard in a browser once it serves (`BROWSER`, else the platform's opener). */
  readonly open?: boolean;
  /** Stops the server (tests); otherwise SIGINT / SIGTERM do. */
  readonly signal?: AbortSignal;
}

/** `dendrux dashboard`: serves the dashboard until the process is stopped. */
export async function dashboardCommand(options: DashboardCommandOptions, out: Output): Promise<number> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new UsageError("--port must be an integer between 0 and 65535.", "dashboard");
  const token = options.authToken ?? process.env.DENDRUX_DASHBOARD_TOKEN;
  if (!isLoopbackHost(options.host) && !token) {
    throw new UsageError(
      `refusing to serve the dashboard on ${options.host} without a token: anyone who can reach it could read every run. ` +
        "Pass --auth-token (or set DENDRUX_DASHBOARD_TOKEN), or serve on 127.0.0.1.",
      "dashboard",
    );
  }
  const url = resolveDatabaseUrl(options.db);
  requireExistingDatabase(url);
  const dashboard = await openDashboard({ databaseUrl: url, authToken: token ?? null });
  const { serve } = await import("@hono/node-server");
  let server: ReturnType<typeof serve>;
  try {
    const port = await new Promise<number>((ready, fail) => {
      server = serve({ fetch: dashboard.app.fetch, port: options.port, hostname: options.host }, (info) => ready(info.port));
      server.once("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "EADDRINUSE") fail(new Error(`port ${options.port} on ${options.host} is already in use (another dashboard?). Pick another with --port, e.g. --port ${options.port + 1}.`));
        else if (error.code === "EACCES") fail(new Error(`not allowed to listen on ${options.host}:${options.port}; use a port above 1024.`));
        else fail(error);
      });
    });
    const shown = isLoopbackHost(options.host) || options.host === "0.0.0.0" ? "localhost" : options.host;
    out.line(`Dendrux Dashboard running at http://${shown}:${port}`);
    out.line(`Database: ${redactUrl(url)}`);
    out.line(token ? "Auth token required for /api/*." : "No auth token: loopback only.");
    out.line("Press Ctrl+C to stop.");
    if (options.open) {
      const { openBrowser } = await import("./open-browser.js");
      const problem = await openBrowser(`http://${shown}:${port}`);
      if (problem) out.line(problem);
    }
  } catch (error) {
    await dashboard.close();
    throw error;
  }
  await new Promise<void>((stopped) => {
    const stop = () => server.close(() => stopped());
    options.signal?.addEventListener("abort", stop, { once: true });
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await dashboard.close();
  return 0;
}
