import { describe, expect, it } from "vitest";
import { userMetadata } from "./rows.js";

describe("userMetadata", () => {
  it("leaves out dendrux's own keys and keeps the caller's, in order", () => {
    expect(Object.entries(userMetadata({ thread_id: "t", "dendrux.loop": "ReActLoop", user_id: "u", "dendrux.internal": true }))).toEqual([
      ["thread_id", "t"],
      ["user_id", "u"],
    ]);
  });

  it("keeps a __proto__ key as data, never as the object's prototype", () => {
    const metadata = userMetadata(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'));
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.keys(metadata)).toEqual(["__proto__", "a"]);
    expect((metadata as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it.each([null, undefined, "text", 3, ["a"]])("answers an empty object for %j", (meta) => {
    expect(userMetadata(meta)).toEqual({});
  });
});
