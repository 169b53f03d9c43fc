import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isoMicros } from "../../src/store/precise-time.js";
import type { Backend, TestDatabase } from "../support/backends.js";

/**
 * The databases and goldens the Python reference (dendrux 0.2.0a10, commit 7fc44c2) wrote with
 * `test/compat/reference/write_fixtures.py`. Loading them needs no Python: the SQLite file is copied, the
 * PostgreSQL dump (plain SQL) is executed through `pg` into a fresh database.
 */
const HERE = join(dirname(fileURLToPath(import.meta.url)), "reference");

export type Scenario =
  | "server_tool_success" | "approval_approved" | "approval_rejected" | "approval_waiting" | "client_waiting"
  | "client_resumed" | "client_waiting_to_cancel" | "paused_cancelled" | "clarification_waiting" | "clarification_answered" | "failed"
  | "delegation_parent" | "delegation_child" | "idempotent" | "thread_turn_1" | "thread_turn_2" | "thread_other"
  | "pii_redacted";

export interface RouterAnswer {
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

export interface SseAnswer {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly status: number;
  readonly body?: unknown;
  readonly response_headers?: Record<string, string>;
  readonly frames?: string[];
}

export interface StoreRunGolden {
  readonly detail: Record<string, unknown>;
  readonly events: Record<string, unknown>[];
  readonly llm_calls: Record<string, unknown>[];
  readonly tool_invocations: Record<string, unknown>[];
  readonly traces: Record<string, unknown>[];
  readonly pauses: Record<string, unknown>[];
  readonly pii_mapping: Record<string, string>;
}

export interface Golden {
  readonly reference: { readonly package: string; readonly version: string; readonly commit: string };
  readonly backend: "sqlite" | "postgres";
  readonly runs: Readonly<Record<Scenario, string>>;
  readonly store: {
    readonly threads: Readonly<Record<string, { filter: Record<string, string | number | boolean>; count: number; items: Record<string, unknown>[] }>>;
    readonly runs: Readonly<Record<Scenario, StoreRunGolden>>;
  };
  readonly router: readonly RouterAnswer[];
  readonly sse: readonly SseAnswer[];
  readonly dashboard: readonly RouterAnswer[];
}

export function loadGolden(kind: "sqlite" | "postgres"): Golden {
  return JSON.parse(readFileSync(join(HERE, "goldens", `${kind}.json`), "utf8")) as Golden;
}

/** The reference's SQLite file, in its original form (for schema inspection only: never write to it). */
export const REFERENCE_SQLITE_FILE = join(HERE, "fixtures", "reference.db");

/** A private, writable copy of the database the reference wrote, on `backend`. */
export async function loadReferenceDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend.name === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "dendrux-compat-"));
    const file = join(dir, "reference.db");
    copyFileSync(REFERENCE_SQLITE_FILE, file);
    return { kind: "sqlite", url: `sqlite:///${file}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const database = await backend.create({ migrate: false });
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(readFileSync(join(HERE, "fixtures", "reference-postgres.sql"), "utf8"));
  } finally {
    await client.end();
  }
  return database;
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:Z|\+00:00|\+00:00Z)?$/;

/** A timestamp string as one canonical instant (`YYYY-MM-DDTHH:MM:SS.ffffffZ`), so `+00:00`, `Z` and precision spellings compare equal. */
export function canonicalInstant(value: string): string | null {
  const m = INSTANT.exec(value);
  if (!m) return null;
  return `${m[1]}T${m[2]}.${(m[3] ?? "").padEnd(6, "0")}Z`;
}

/**
 * A JSON value with key order made visible (objects become `[key, value]` lists) and timestamps as
 * instants, so `toEqual` checks field names, order and values.
 */
export function ordered(value: unknown): unknown {
  if (value instanceof Date) return canonicalInstant(isoMicros(value));
  if (typeof value === "string") return canonicalInstant(value) ?? value;
  if (Array.isArray(value)) return value.map(ordered);
  if (value !== null && typeof value === "object") return Object.entries(value).map(([k, v]) => [k, ordered(v)]);
  return value;
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A golden `RunStore` record (snake_case, as the reference's dataclasses) with our camelCase field names. */
export function camelRecord(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [camel(k), v]));
}

/**
 * Our record(s) with only the fields the reference's record has, in our order: fields we add (row ids, metadata,
 * tenant) are additions; every field the reference has must be there, with its value, in its order.
 */
export function referenceFields(ours: unknown, theirs: unknown): unknown {
  if (Array.isArray(ours) && Array.isArray(theirs)) return ours.map((o, i) => referenceFields(o, theirs[i]));
  if (ours === null || typeof ours !== "object" || theirs === null || typeof theirs !== "object" || ours instanceof Date) return ours;
  const keep = new Set(Object.keys(theirs));
  return Object.fromEntries(Object.entries(ours).filter(([k]) => keep.has(k)));
}
