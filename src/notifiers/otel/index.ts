/**
 * `OpenTelemetryNotifier`: runs as OpenTelemetry spans (needs `@opentelemetry/api`).
 * @module
 */
export { OpenTelemetryNotifier } from "./opentelemetry-notifier.js";
export type { OpenTelemetryNotifierOptions } from "./opentelemetry-notifier.js";
