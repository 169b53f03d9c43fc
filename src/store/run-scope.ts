import { type Expression, type SqlBool, sql } from "kysely";
import { ValidationError } from "../errors/validation-error.js";
import type { StoreAdapter } from "./dialect/store-dialect.js";

const METADATA_KEY = /^[A-Za-z0-9_-]+$/;
/** Keys a plain JS object cannot hold as data: they would be dropped or change the object's prototype. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export type MetadataFilter = Readonly<Record<string, string | number | boolean>>;

/**
 * What a reader may see: only runs with this `tenantId` and these top-level
 * `metadata` values. Applied in SQL to every read that takes it; a run outside
 * the scope reads exactly like a missing run.
 */
export interface RunScope {
  readonly tenantId?: string;
  readonly metadata?: MetadataFilter;
}

/** Validates a metadata filter; a bad key or value throws naming it. */
export function validateMetadataFilter(filter: unknown, field = "metadataFilter"): MetadataFilter {
  if (filter === null || typeof filter !== "object" || Array.isArray(filter)) {
    throw new ValidationError({ field, message: `${field} must be an object of key → string | number | boolean.` });
  }
  for (const key of Reflect.ownKeys(filter)) {
    if (typeof key !== "string") throw new ValidationError({ field, message: `${field} keys must be strings.` });
    const value = (filter as Record<string, unknown>)[key];
    if (!METADATA_KEY.test(key)) {
      throw new ValidationError({
        field: `${field}.${key}`,
        message: `${field} keys must match ^[A-Za-z0-9_-]+$; got ${JSON.stringify(key)}. Nested paths are not supported.`,
      });
    }
    if (RESERVED_KEYS.has(key)) {
      throw new ValidationError({ field: `${field}.${key}`, message: `${field} key ${JSON.stringify(key)} is reserved.` });
    }
    if (!["string", "number", "boolean"].includes(typeof value) || (typeof value === "number" && !Number.isFinite(value))) {
      throw new ValidationError({
        field: `${field}.${key}`,
        message: `${field} value for ${JSON.stringify(key)} must be a string, a finite number or a boolean.`,
      });
    }
    if (typeof value === "string" && value.includes("\u0000")) {
      throw new ValidationError({ field: `${field}.${key}`, message: `${field} value for ${JSON.stringify(key)} must not contain NUL bytes.` });
    }
  }
  return filter as MetadataFilter;
}

/** Validates a scope; `undefined`/`null` is no scope. */
export function validateScope(scope: unknown): RunScope | undefined {
  if (scope === undefined || scope === null) return undefined;
  if (typeof scope !== "object" || Array.isArray(scope)) throw new ValidationError({ field: "scope", message: "scope must be { tenantId?, metadata? }." });
  const { tenantId, metadata, ...rest } = scope as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new ValidationError({ field: `scope.${unknown[0]}`, message: `scope has no field ${JSON.stringify(unknown[0])} (only tenantId and metadata).` });
  if (tenantId !== undefined && (typeof tenantId !== "string" || tenantId.includes("\u0000"))) {
    throw new ValidationError({ field: "scope.tenantId", message: "scope.tenantId must be a string without NUL bytes." });
  }
  return {
    ...(tenantId !== undefined ? { tenantId } : {}),
    ...(metadata !== undefined ? { metadata: validateMetadataFilter(metadata, "scope.metadata") } : {}),
  };
}

/** The scope as predicates on `agent_runs` columns (`tenant_id`, `meta`). */
export function scopePredicates(adapter: StoreAdapter, scope: RunScope | undefined): Expression<SqlBool>[] {
  if (!scope) return [];
  const where: Expression<SqlBool>[] = [];
  if (scope.tenantId !== undefined) where.push(sql<SqlBool>`tenant_id = ${scope.tenantId}`);
  if (scope.metadata && Object.keys(scope.metadata).length > 0) where.push(adapter.metadataPredicate(scope.metadata));
  return where;
}

/** A stable text key for a scope (equal scopes, equal keys). */
export function scopeKey(scope: RunScope | undefined): string {
  if (!scope) return "";
  const metadata = scope.metadata ? Object.keys(scope.metadata).sort().map((k) => [k, scope.metadata![k]]) : [];
  return JSON.stringify([scope.tenantId ?? null, metadata]);
}
