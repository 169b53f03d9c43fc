/**
 * Timestamps keep microseconds in the database (both engines) but a `Date`
 * keeps milliseconds. Records hold `Date`s; the exact microseconds travel
 * beside them here, so the HTTP layer can render what the database holds.
 */
const MICROS = new WeakMap<Date, number>();

export function dateWithMicros(epochMs: number, micros: number): Date {
  const date = new Date(epochMs);
  MICROS.set(date, micros);
  return date;
}

/** `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` — six fraction digits, or none when the microsecond is zero. */
export function isoMicros(date: Date): string {
  const micros = MICROS.get(date) ?? date.getUTCMilliseconds() * 1000;
  const base = date.toISOString().slice(0, 19);
  return micros === 0 ? `${base}Z` : `${base}.${String(micros).padStart(6, "0")}Z`;
}

/**
 * Parses `YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM]|Z]` (SQLite text, PostgreSQL
 * text output); a missing offset means UTC.
 */
export function parseTimestampText(text: string): Date {
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
  const micros = MICROS.get(date) ?? date.getUTCMilliseconds() * 1000;
  return Math.floor(date.getTime() / 1000) * 1_000_000 + micros;
}
