import { describe, expect, it } from "vitest";
import { epochMicros, isoMicros, parseTimestampText } from "../../src/store/precise-time.js";

describe("timestamps with microseconds", () => {
  it.each([
    ["2026-12-02 10:11:12.123456+00", "2026-12-02T10:11:12.123456Z"],
    ["2026-12-02 10:11:12.123456", "2026-12-02T10:11:12.123456Z"],
    ["2026-12-02T10:11:12.123456Z", "2026-12-02T10:11:12.123456Z"],
    ["2026-12-02 10:11:12.5+00:00", "2026-12-02T10:11:12.500000Z"],
    ["2026-12-02 10:11:12.000001+00", "2026-12-02T10:11:12.000001Z"],
    ["2026-12-02 10:11:12+00", "2026-12-02T10:11:12Z"],
    ["2026-12-02 10:11:12.000000", "2026-12-02T10:11:12Z"],
    ["2026-12-02 10:11:12.123456+05:30", "2026-12-02T04:41:12.123456Z"],
    ["2026-12-02 01:11:12.123456-08", "2026-12-02T09:11:12.123456Z"],
    ["1999-12-31 23:59:59.999999+00", "1999-12-31T23:59:59.999999Z"],
  ])("reads %s as %s", (text, iso) => {
    const date = parseTimestampText(text);
    expect(isoMicros(date)).toBe(iso);
    expect(date.toISOString()).toBe(`${iso.slice(0, 19)}.${(iso.slice(20, 23) || "000").padEnd(3, "0")}Z`);
  });

  it("keeps the microseconds in epochMicros", () => {
    expect(epochMicros(parseTimestampText("2026-12-02 10:11:12.123456+00"))).toBe(Date.UTC(2026, 11, 2, 10, 11, 12) * 1000 + 123_456);
  });

  it("renders a date changed after it was read from its own milliseconds", () => {
    const date = parseTimestampText("2026-12-02 10:11:12.123456+00");
    date.setUTCMilliseconds(7);
    expect(isoMicros(date)).toBe("2026-12-02T10:11:12.007000Z");
  });

  it("renders a date it did not read with millisecond precision", () => {
    expect(isoMicros(new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 250)))).toBe("2026-01-01T00:00:00.250000Z");
  });

  it.each([
    [Date.UTC(500, 0, 2, 3, 4, 5), "0500-01-02T03:04:05Z"],
    [Date.UTC(10000, 0, 2, 3, 4, 5, 6), "+010000-01-02T03:04:05.006000Z"],
    [Date.UTC(-1, 11, 31, 23, 59, 59), "-000001-12-31T23:59:59Z"],
    [Date.UTC(9999, 11, 31, 23, 59, 59, 999), "9999-12-31T23:59:59.999000Z"],
  ])("renders %d as the platform writes its year: %s", (epochMs, iso) => {
    expect(isoMicros(new Date(epochMs))).toBe(iso);
  });

  it("throws the platform's RangeError for an invalid date", () => {
    expect(() => isoMicros(new Date(Number.NaN))).toThrow(RangeError);
  });

  it("falls back to the platform parser for other text", () => {
    expect(parseTimestampText("Wed, 02 Dec 2026 10:11:12 GMT").toISOString()).toBe("2026-12-02T10:11:12.000Z");
  });
});
