/**
 * The read API over HTTP and Server-Sent Events, as a Hono app.
 * @module
 */
export { makeReadRouter } from "./read-router.js";
export type { ReadRouterOptions } from "./read-router.js";
export { toSseFrame } from "./sse.js";
