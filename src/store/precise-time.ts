/**
 * Timestamps keep microseconds in the database (both engines) but a `Date`
 * keeps milliseconds. Records hold `Date`s; the exact microseconds travel
 * with them under a symbol, so the HTTP layer can render what the database
 * holds. A symbol property, not a side table: list pages create a hundred
 * dates per request, and a `WeakMap` entry per date costs the garbage
 * collector more than the dates themselves.
 */
const MICROS = Symbol("dendrux.micros");
type PreciseDate = Date & { [MICROS]?: number };

export function dateWithMicros(epochMs: number, micros: number): Date {
  const date: PreciseDate = new Date(epochMs);
  date[MICROS] = micros;
  return date;
}

/** The microseconds within the second, when they still belong to the date (a date changed since it was read has only milliseconds). */
function microsOf(date: Date): number {
  const micros = (date as PreciseDate)[MICROS];
  const millis = date.getUTCMilliseconds();
  return micros !== undefined && Math.floor(micros / 1000) === millis ? micros : millis * 1000;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, "0"));

/** `YYYY-MM-DDTHH:MM:SS`, from the date's UTC fields: a third of `toISOString`'s cost, which a list page pays for a hundred dates. */
function isoSeconds(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString().slice(0, year < 0 || year > 9999 ? 22 : 19);
  return `${year}-${TWO_DIGITS[date.getUTCMonth() + 1]}-${TWO_DIGITS[date.getUTCDate()]}T${TWO_DIGITS[date.getUTCHours()]}:${TWO_DIGITS[date.getUTCMinutes()]}:${TWO_DIGITS[date.getUTCSeconds()]}`;
}

/** `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` — six fraction digits, or none when the microsecond is zero. */
export function isoMicros(date: Date): string {
  const micros = microsOf(date);
  const base = isoSeconds(date);
  return micros === 0 ? `${base}Z` : `${base}.${String(micros).padStart(6, "0")}Z`;
}

const digit = (text: string, i: number) => text.charCodeAt(i) - 48;
const two = (text: string, i: number) => digit(text, i) * 10 + digit(text, i + 1);
/** Where `YYYY-MM-DD HH:MM:SS` has its digits. */
const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] as const;
const UTC_SUFFIXES: ReadonlySet<string> = new Set(["", "Z", "+00", "+00:00", "+0000"]);

/**
 * The common shapes in one pass without a regular expression: what both
 * engines give back for UTC (`YYYY-MM-DD HH:MM:SS[.f…]` with nothing, `Z` or
 * `+00` after it). `null` for anything else.
 */
function parseUtcText(text: string): Date | null {
  if (text.length < 19 || text[4] !== "-" || text[7] !== "-" || (text[10] !== " " && text[10] !== "T") || text[13] !== ":" || text[16] !== ":") return null;
  let i = 19;
  let micros = 0;
  let places = 0;
  if (text[i] === ".") {
    for (i++; i < text.length; i++) {
      const d = digit(text, i);
      if (d < 0 || d > 9) break;
      if (places === 6) return null;
      micros = micros * 10 + d;
      places++;
    }
    if (places === 0) return null;
  }
  if (!UTC_SUFFIXES.has(text.slice(i))) return null;
  for (; places < 6; places++) micros *= 10;
  for (const at of DIGITS_AT) {
    const d = digit(text, at);
    if (d < 0 || d > 9) return null;
  }
  const epochMs = Date.UTC(two(text, 0) * 100 + two(text, 2), two(text, 5) - 1, two(text, 8), two(text, 11), two(text, 14), two(text, 17), Math.floor(micros / 1000));
  return dateWithMicros(epochMs, micros);
}

/**
 * Parses `YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM]|Z]` (SQLite text, PostgreSQL
 * text output); a missing offset means UTC.
 */
export function parseTimestampText(text: string): Date {
  const utc = parseUtcText(text);
  if (utc) return utc;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  if (!m) return new Date(text);
  const micros = m[7] ? Number(m[7].padEnd(6, "0")) : 0;
  let epoch = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, Math.floor(micros / 1000));
  const offset = m[8];
  if (offset && offset !== "Z") {
    const sign = offset.startsWith("-") ? -1 : 1;
    const digits = offset.slice(1).replace(":", "");
    epoch -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0")) * 60_000;
  }
  return dateWithMicros(epoch, micros);
}

/** Microseconds since the epoch, with the exact microseconds the database held. */
export function epochMicros(date: Date): number {
  return Math.floor(date.getTime() / 1000) * 1_000_000 + microsOf(date);
}
