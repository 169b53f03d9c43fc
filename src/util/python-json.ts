/**
 * JSON text in the exact form Python's `json.dumps` writes by default
 * (`", "` / `": "` separators, non-ASCII escaped as `\uXXXX`). The reference
 * stores and fingerprints JSON in this form, and tool payloads reach the model
 * in it, so both implementations see the same bytes.
 */
export interface PythonJsonOptions {
  /** Sort object keys at every level (Python's `sort_keys=True`). */
  readonly sortKeys?: boolean;
}

export class NotJsonSerializableError extends TypeError {
  readonly typeName: string;
  constructor(typeName: string) {
    super(`Object of type ${typeName} is not JSON serializable`);
    this.typeName = typeName;
  }
}

/** Deeper values are refused rather than overflowing the stack (Python's default recursion limit is about the same). */
export const MAX_JSON_DEPTH = 1000;

/** A value whose shape cannot be written as JSON text: a circular reference, or nesting past `MAX_JSON_DEPTH`. */
export class UnencodableShapeError extends TypeError {
  readonly reason: "circular" | "too_deep";
  constructor(reason: "circular" | "too_deep") {
    super(reason === "circular" ? "it contains a circular reference" : `it is nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.reason = reason;
  }
}

export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  return encode(value, options.sortKeys === true, new Set());
}

/** Printable ASCII other than `"` and `\`: such a string is written as it is. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function escapeString(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function encodeNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return JSON.stringify(n);
}

function typeNameOf(value: unknown): string {
  if (typeof value === "bigint") return "bigint";
  if (typeof value === "function") return "function";
  if (typeof value === "symbol") return "symbol";
  return (value as object)?.constructor?.name ?? typeof value;
}

function encode(value: unknown, sortKeys: boolean, ancestors: Set<object>): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return encodeNumber(value);
    case "string":
      return escapeString(value);
    case "bigint":
    case "function":
    case "symbol":
      throw new NotJsonSerializableError(typeNameOf(value));
  }
  const object = value as object;
  if (ancestors.has(object)) throw new UnencodableShapeError("circular");
  if (ancestors.size >= MAX_JSON_DEPTH) throw new UnencodableShapeError("too_deep");
  ancestors.add(object);
  try {
    return encodeObject(object, sortKeys, ancestors);
  } finally {
    ancestors.delete(object);
  }
}

function encodeObject(value: object, sortKeys: boolean, ancestors: Set<object>): string {
  if (Array.isArray(value)) {
    return `[${value.map((item) => encode(item, sortKeys, ancestors)).join(", ")}]`;
  }
  if (value instanceof Map || value instanceof Set || value instanceof WeakMap || value instanceof WeakSet) {
    throw new NotJsonSerializableError(typeNameOf(value));
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === "function") return encode(withToJson.toJSON(), sortKeys, ancestors);
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && typeof v !== "function" && typeof v !== "symbol",
  );
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${escapeString(k)}: ${encode(v, sortKeys, ancestors)}`).join(", ")}}`;
}

/** A number as Python prints a float: `120` → `120.0`, `0.05` → `0.05`. */
export function pythonFloat(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/** A list as Python's `repr` prints strings: `['a', 'b']`. */
export function pythonList(items: readonly string[]): string {
  return `[${items.map((s) => `'${s}'`).join(", ")}]`;
}
