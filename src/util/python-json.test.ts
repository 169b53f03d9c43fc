import { describe, expect, it } from "vitest";
import { pythonJsonDumps, pythonFloat, NotJsonSerializableError } from "./python-json.js";

describe("pythonJsonDumps", () => {
  it("writes Python's default separators and ASCII escapes", () => {
    expect(pythonJsonDumps({ a: 1, b: [1, "x"] })).toBe('{"a": 1, "b": [1, "x"]}');
    expect(pythonJsonDumps("héllo")).toBe('"h\\u00e9llo"');
    expect(pythonJsonDumps("😀")).toBe('"\\ud83d\\ude00"');
    expect(pythonJsonDumps("a\nb\u007f")).toBe('"a\\nb\\u007f"');
  });

  it("sorts keys at every level when asked", () => {
    expect(pythonJsonDumps({ b: { d: 1, c: 2 }, a: null }, { sortKeys: true })).toBe('{"a": null, "b": {"c": 2, "d": 1}}');
  });

  it("reproduces the reference idempotency fingerprint payload", () => {
    const payload = pythonJsonDumps({ agent_name: "Agent", user_input: "héllo", output_type: "m.Out" }, { sortKeys: true });
    expect(payload).toBe('{"agent_name": "Agent", "output_type": "m.Out", "user_input": "h\\u00e9llo"}');
  });

  it("refuses values Python could not encode", () => {
    expect(() => pythonJsonDumps(new Set([1]))).toThrow(NotJsonSerializableError);
    expect(() => pythonJsonDumps({ a: 10n })).toThrow(/bigint/);
  });

  it("prints floats the Python way", () => {
    expect(pythonFloat(120)).toBe("120.0");
    expect(pythonFloat(0.05)).toBe("0.05");
  });
});
