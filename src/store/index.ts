/**
 * Reading runs back: `RunStore` and its record types.
 * @module
 */
export { RunStore, validateMetadataFilter } from "./run-store.js";
export type {
  CountRunsOptions,
  GetThreadOptions,
  ListRunsOptions,
  MetadataFilter,
  PageOptions,
  RunCount,
  RunFilters,
  RunScope,
  RunStoreOptions,
  ScopedOptions,
  StreamEventsOptions,
  StreamThreadEventsOptions,
} from "./run-store.js";
export type { ThreadEvent } from "./live/event-hub.js";
export type { LLMCall, PausePair, RunDetail, RunSummary, StoredEvent, ThreadSummary, ThreadTurn, ToolInvocation, TraceEntry } from "./records.js";
export type { Database } from "./schema.js";
export { parseDatabaseUrl } from "./database-url.js";
export type { DatabaseOptions } from "./database-options.js";
export type { StoreSource } from "./store-source.js";
export type { DatabaseTarget } from "./database-url.js";
