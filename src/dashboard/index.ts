/**
 * The web dashboard: a read-only JSON API and a single-page UI over the run tables.
 * @module
 */
export { openDashboard } from "./open-dashboard.js";
export type { Dashboard, DashboardOptions } from "./open-dashboard.js";
export { makeDashboardApp } from "./dashboard-app.js";
export type { DashboardAppOptions } from "./dashboard-app.js";
export { buildTimeline } from "./timeline.js";
