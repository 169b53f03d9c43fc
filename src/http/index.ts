/**
 * The read API over HTTP and Server-Sent Events, as a Hono app.
 * @module
 */
export { makeReadRouter } from "./read-router.js";
export type { AuthorizeResult, ReadRouterEnv, ReadRouterOptions } from "./read-router.js";
export { toSseFrame, toThreadSseFrame } from "./sse.js";
