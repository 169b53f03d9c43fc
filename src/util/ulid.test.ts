import { afterEach, describe, expect, it, vi } from "vitest";
import { newId, newRowId } from "./ulid.js";

describe("ids", () => {
  afterEach(() => vi.useRealTimers());

  it("audit-row ids made within one millisecond sort in the order they were made", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2031-05-05T05:05:05.005Z") });
    const ids = Array.from({ length: 200 }, () => newRowId());
    expect(new Set(ids.map((id) => id.slice(0, 10))).size).toBe(1);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(200);
  });

  it("run ids made within one millisecond share only their time: the next one cannot be guessed from the last", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2031-05-05T05:05:05.005Z") });
    const [a, b] = [newId(), newId()];
    expect(a.slice(0, 10)).toBe(b.slice(0, 10));
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    // Sequential ids would differ in their last character or two; these differ throughout their 80 random bits.
    expect(a.slice(10, 20)).not.toBe(b.slice(10, 20));
  });
});
