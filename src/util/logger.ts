/** Where dendrux reports what it swallows (fail-open hooks, best-effort writes). */
export const logger = {
  warn(message: string, error?: unknown): void {
    if (process.env.DENDRUX_LOG === "silent") return;
    const detail = error instanceof Error ? `: ${error.message}` : error === undefined ? "" : `: ${String(error)}`;
    console.warn(`[dendrux] ${message}${detail}`);
  },
};
