/**
 * Reading runs back: `RunStore` and its record types.
 * @module
 */
export { RunStore, validateMetadataFilter } from "./run-store.js";
export type { ListRunsOptions, MetadataFilter, PageOptions, RunFilters, RunStoreOptions, StreamEventsOptions } from "./run-store.js";
export type { LLMCall, PausePair, RunDetail, RunSummary, StoredEvent, ToolInvocation, TraceEntry } from "./records.js";
export type { Database } from "./schema.js";
export { parseDatabaseUrl } from "./database-url.js";
export type { DatabaseTarget } from "./database-url.js";
