/**
 * Vendor JSON as the SDKs hand it back. Adapters read it defensively, field by
 * field, so one loose type here beats casting at every access.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WireJson = Record<string, any>;
