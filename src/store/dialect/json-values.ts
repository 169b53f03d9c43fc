import { pythonJsonDumps } from "../../util/python-json.js";

/**
 * JSON column text in the reference's serialisation (Python `json.dumps`
 * defaults), so rows read the same from either implementation.
 */
export function jsonText(value: unknown): string | null {
  if (value === undefined) return null;
  return pythonJsonDumps(value);
}

/** 6 decimals, as a NUMERIC(10, 6) column holds it. */
export function quantizeCost(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === "string" ? Number(value) : (value as number);
  return Number.isFinite(n) ? Math.round(n * 1e6) / 1e6 : null;
}
