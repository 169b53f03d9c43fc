import { ValidationError } from "../errors/validation-error.js";

/**
 * Query-string validation with the reference's rules (pydantic lax mode) and
 * its 422 error shapes. Errors accumulate in parameter order.
 */
export interface ParamError {
  readonly type: string;
  readonly loc: readonly [string, string];
  readonly msg: string;
  readonly input: unknown;
  readonly ctx?: Record<string, unknown>;
}

const INT32_MAX = 2_147_483_647;
const INT32_MIN = -2_147_483_648;
const NUL_MSG = "Value error, NUL bytes are not allowed";

// Whitespace, an optional sign, digits with single underscores between them, and a ".0…" tail.
const LAX_INT = /^[+-]?\d+(?:_\d+)*(?:\.0*)?$/;

export class QueryReader {
  readonly errors: ParamError[] = [];
  readonly #params: URLSearchParams;

  constructor(url: string) {
    this.#params = new URL(url).searchParams;
  }

  /** The last value of a repeated scalar parameter, as the reference takes it. */
  string(name: string): string | undefined {
    const all = this.#params.getAll(name);
    const value = all.length > 0 ? all[all.length - 1] : undefined;
    return value !== undefined && this.#noNul(name, value) ? value : undefined;
  }

  strings(name: string): string[] | undefined {
    const all = this.#params.getAll(name);
    if (all.length === 0) return undefined;
    return all.every((value) => this.#noNul(name, value)) ? all : undefined;
  }

  /** PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database. */
  #noNul(name: string, value: string, loc: "query" | "path" = "query"): boolean {
    if (!value.includes("\u0000")) return true;
    this.errors.push({ type: "value_error", loc: [loc, name], msg: NUL_MSG, input: value });
    return false;
  }

  /** A path parameter: checked for NUL bytes like query strings. */
  path(name: string, value: string): string {
    this.#noNul(name, value, "path");
    return value;
  }

  int(name: string, options: { default?: number; ge?: number; le?: number } = {}): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return options.default;
    const text = raw.trim();
    if (!LAX_INT.test(text)) {
      this.errors.push({ type: "int_parsing", loc: ["query", name], msg: "Input should be a valid integer, unable to parse string as an integer", input: raw });
      return undefined;
    }
    const value = Number(text.replace(/_/g, "").replace(/\.0*$/, "")) || 0;
    if (!Number.isSafeInteger(value)) {
      this.errors.push({ type: "int_parsing_size", loc: ["query", name], msg: "Unable to parse input string as an integer, exceeded maximum size", input: raw });
      return undefined;
    }
    // Columns are 32-bit integers; a larger value is refused here rather than failing in PostgreSQL.
    const ge = Math.max(options.ge ?? INT32_MIN, INT32_MIN);
    const le = Math.min(options.le ?? INT32_MAX, INT32_MAX);
    if (value < ge) {
      this.errors.push({ type: "greater_than_equal", loc: ["query", name], msg: `Input should be greater than or equal to ${ge}`, input: raw, ctx: { ge } });
      return undefined;
    }
    if (value > le) {
      this.errors.push({ type: "less_than_equal", loc: ["query", name], msg: `Input should be less than or equal to ${le}`, input: raw, ctx: { le } });
      return undefined;
    }
    return value;
  }

  /** ISO 8601; a value without an offset is taken as UTC. */
  datetime(name: string): Date | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const text = raw.trim();
    const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
    const normalised = iso && !iso[4] && iso[1] ? `${text.replace(" ", "T")}Z` : text.replace(" ", "T");
    const date = iso ? new Date(normalised) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) {
      this.errors.push({ type: "datetime_from_date_parsing", loc: ["query", name], msg: "Input should be a valid datetime or date, invalid character in year", input: raw });
      return undefined;
    }
    return date;
  }

  /** `metadata.<key>=<value>` pairs (string values), in a prototype-free object so no key is special. */
  prefixed(prefix: string): Record<string, string> {
    const out = Object.create(null) as Record<string, string>;
    for (const [key, value] of this.#params) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
    return out;
  }

  fail(error: ParamError): void {
    this.errors.push(error);
  }
}

/**
 * `Last-Event-ID` as Python's `int()` reads it: surrounding whitespace, a sign,
 * underscores between digits. Anything else → `null` (the caller falls back).
 */
export function parseLastEventId(header: string | undefined): number | null {
  if (header === undefined) return null;
  const text = header.trim();
  if (!/^[+-]?\d+(?:_\d+)*$/.test(text)) return null;
  const value = Number(text.replace(/_/g, ""));
  return Number.isSafeInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? value : null;
}

/** 422 with the reference's `detail` array. */
export class ParamsInvalid extends Error {
  constructor(readonly errors: unknown[]) {
    super("invalid query parameters");
  }
}

/** Throws `ParamsInvalid` when any parameter was refused. */
export function checked(q: QueryReader): void {
  if (q.errors.length > 0) throw new ParamsInvalid(q.errors);
}

/**
 * Runs a store read whose `ValidationError` on `field` is the caller's
 * parameter `param` (a `before` that names no run): that error answers 422
 * like any refused parameter; every other error passes through.
 */
export async function readChecked<T>(q: QueryReader, field: string, param: string, input: string | undefined, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ValidationError && error.field === field) {
      q.fail({ type: "value_error", loc: ["query", param], msg: `Value error, ${error.message}`, input: input ?? null });
      checked(q);
    }
    throw error;
  }
}
