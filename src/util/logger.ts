/** Where dendrux reports what it swallows (fail-open hooks, best-effort writes). */
export const logger = {
  /** Failures a person should look at (a dashboard 500); printed even when the cause is unknown. */
  error(message: string, error?: unknown): void {
    if (process.env.DENDRUX_LOG === "silent") return;
    console.error(`[dendrux] ${message}`, error instanceof Error ? (error.stack ?? error.message) : (error ?? ""));
  },
  warn(message: string, error?: unknown): void {
    if (process.env.DENDRUX_LOG === "silent") return;
    const detail = error instanceof Error ? `: ${error.message}` : error === undefined ? "" : `: ${String(error)}`;
    console.warn(`[dendrux] ${message}${detail}`);
  },
};
