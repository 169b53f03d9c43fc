/**
 * Run observers: a no-op base, a fan-out composite and a terminal renderer.
 * @module
 */
export { BaseNotifier } from "./base-notifier.js";
export { CompositeNotifier } from "./composite-notifier.js";
export { ConsoleNotifier } from "./console-notifier.js";
export type { ConsoleNotifierOptions } from "./console-notifier.js";
export type { Notifier } from "../types/notifier.js";
