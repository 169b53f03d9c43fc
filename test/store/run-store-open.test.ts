import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, DatabaseNotFoundError, SchemaNotInitializedError } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";

describeEachBackend("RunStore on a fresh database", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await backend.create({ migrate: false });
  });
  afterAll(async () => database.cleanup());

  it("creates the SQLite schema on first use; on unmigrated PostgreSQL throws SchemaNotInitializedError with the migrate hint", async () => {
    await using store = RunStore.fromDatabaseUrl(database.url);
    if (backend.name === "sqlite") {
      expect(await store.listRuns()).toEqual([]);
      expect(await store.countRuns()).toBe(0);
      return;
    }
    const error = await store.listRuns().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaNotInitializedError);
    expect((error as Error).message).toContain("dendrux db migrate");
    // The failed open is not cached: once migrated, the same store reads.
    const agent = new Agent({ provider: new MockLLM(["hi"]), prompt: "p", databaseUrl: database.url });
    expect(await agent.run("x").catch((e: unknown) => e)).toBeInstanceOf(SchemaNotInitializedError);
    await agent.close();
  });

  it("readOnly reads an existing database and never writes", async () => {
    if (backend.name === "postgres") {
      const { migratePostgres } = await import("../../src/store/migrate.js");
      const { withDatabase } = await import("../support/backends.js");
      const result = await withDatabase(database.url, (db) => migratePostgres(db));
      expect(result.error).toBeUndefined();
    }
    const agent = new Agent({ provider: new MockLLM(["hi"]), prompt: "p", databaseUrl: database.url });
    const run = await agent.run("x");
    await agent.close();
    await using store = RunStore.fromDatabaseUrl(database.url, { readOnly: true });
    expect((await store.listRuns()).map((r) => r.runId)).toEqual([run.runId]);
  });
});

// Files that are missing or foreign exist only on SQLite; PostgreSQL's read-only case is above.
describe("RunStore readOnly on SQLite paths", () => {
  const dir = mkdtempSync(join(tmpdir(), "dendrux-ro-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a missing file throws DatabaseNotFoundError and creates nothing", async () => {
    const path = join(dir, "missing", "x.db");
    await using store = RunStore.fromDatabaseUrl(`sqlite:///${path}`, { readOnly: true });
    const error = await store.listRuns().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseNotFoundError);
    expect((error as Error).message).toBe(`No database at ${path}. Check the path (or DENDRUX_DATABASE_URL / --db); read-only commands never create one.`);
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });

  it("a file without dendrux tables throws SchemaNotInitializedError naming it", async () => {
    const path = join(dir, "empty.db");
    writeFileSync(path, "");
    await using store = RunStore.fromDatabaseUrl(`sqlite:///${path}`, { readOnly: true });
    const error = await store.getRun("r").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaNotInitializedError);
    expect((error as Error).message).toContain(`No dendrux tables in the SQLite file ${path}`);
  });
});
