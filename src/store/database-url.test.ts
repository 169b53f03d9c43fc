import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { databaseIdentity, parseDatabaseUrl, redactDatabaseUrl } from "./database-url.js";

describe("parseDatabaseUrl", () => {
  it.each([
    ["sqlite:///relative.db", { kind: "sqlite", path: resolve("relative.db"), memory: false }],
    ["sqlite:////abs/path.db", { kind: "sqlite", path: "/abs/path.db", memory: false }],
    ["sqlite+aiosqlite:///./data/app.db", { kind: "sqlite", path: resolve("data/app.db"), memory: false }],
    ["sqlite::memory:", { kind: "sqlite", path: ":memory:", memory: true }],
    ["sqlite+aiosqlite:///:memory:", { kind: "sqlite", path: ":memory:", memory: true }],
    ["postgres://u:p@h:5432/db", { kind: "postgres", connectionString: "postgresql://u:p@h:5432/db" }],
    ["postgresql+asyncpg://u:p@h/db", { kind: "postgres", connectionString: "postgresql://u:p@h/db" }],
  ])("%s", (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it("rejects other forms, naming the URL without its password", () => {
    expect(() => parseDatabaseUrl("mysql://root:secret@h/db")).toThrow(ValidationError);
    expect(() => parseDatabaseUrl("mysql://root:secret@h/db")).toThrow(/mysql:\/\/root:\*\*\*@h\/db/);
    expect(() => parseDatabaseUrl("sqlite:relative.db")).toThrow(/Unsupported SQLite URL/);
    expect(() => parseDatabaseUrl("")).toThrow(/non-empty/);
  });

  it("gives an identity without secrets", () => {
    expect(databaseIdentity(parseDatabaseUrl("postgresql+asyncpg://u:secret@h/db"))).toBe("postgresql://u:***@h/db");
  });

  it("masks a password holding a raw @ whole", () => {
    expect(redactDatabaseUrl("mongodb://alice:p@ss@SECRET@h:27017/db")).toBe("mongodb://alice:***@h:27017/db");
    expect(databaseIdentity(parseDatabaseUrl("postgresql://alice:a@b@h/db"))).toBe("postgresql://alice:***@h/db");
    expect(() => parseDatabaseUrl("mysql://root:se@cret@h/db")).toThrow(/mysql:\/\/root:\*\*\*@h\/db/);
    expect(redactDatabaseUrl("postgresql://h/db?user=u")).toBe("postgresql://h/db?user=u");
  });
});
