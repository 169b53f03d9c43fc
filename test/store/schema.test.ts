import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "kysely";
import { Agent, SchemaNotInitializedError } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { POSTGRES_HEAD } from "../../src/store/migrations/postgres-migrations.js";
import { describeEachBackend, withDatabase, type TestDatabase } from "../support/backends.js";

const exec = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const cli = (url: string, ...args: string[]) =>
  exec(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], { cwd: root, env: { ...process.env, DENDRUX_DATABASE_URL: url } });

const TABLES = ["agent_runs", "llm_interactions", "react_traces", "run_events", "token_usage", "tool_calls"];

describeEachBackend("schema", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await backend.create({ migrate: false });
  });
  afterAll(async () => {
    await database.cleanup();
  });

  const inspect = <T>(fn: Parameters<typeof withDatabase<T>>[1]) => withDatabase(database.url, fn);

  // Starts four real `dendrux` processes on PostgreSQL: slow on a loaded machine.
  it("creates (SQLite) or requires (PostgreSQL) the six tables", { timeout: 90_000 }, async () => {
    const agent = new Agent({ provider: new MockLLM(["hi"]), prompt: "p", databaseUrl: database.url });
    if (backend.name === "postgres") {
      const error = await agent.run("x").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SchemaNotInitializedError);
      expect((error as Error).message).toContain("dendrux db migrate");
      expect((error as Error).message).toContain("dendrux db status");
      const status = await cli(database.url, "db", "status").catch((e: { stdout: string; code: number }) => e);
      expect(status.stdout).toContain("pending: 2ce3bb57b0c5");
      const migrated = await cli(database.url, "db", "migrate");
      expect(migrated.stdout).toContain(`migrated <empty> -> ${POSTGRES_HEAD}`);
      const again = await cli(database.url, "db", "migrate");
      expect(again.stdout).toContain(`already at head (${POSTGRES_HEAD})`);
      expect((await cli(database.url, "db", "status")).stdout).toContain("up to date");
    }
    expect((await agent.run("x")).status).toBe("success");
    await agent.close();

    const tables = await inspect(async (db) => {
      const rows = backend.name === "sqlite"
        ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(db)
        : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`.execute(db);
      return rows.rows.map((r) => r.name);
    });
    expect(tables.filter((t) => t !== "alembic_version")).toEqual(TABLES);
    if (backend.name === "postgres") {
      expect(tables).toContain("alembic_version");
      const version = await inspect((db) => sql<{ v: string }>`SELECT version_num AS v FROM alembic_version`.execute(db));
      expect(version.rows).toEqual([{ v: POSTGRES_HEAD }]);
      const indexes = await inspect((db) => sql<{ n: string }>`SELECT indexname AS n FROM pg_indexes WHERE tablename = 'agent_runs' ORDER BY 1`.execute(db));
      expect(indexes.rows.map((r) => r.n)).toEqual([
        "agent_runs_pkey",
        "ix_agent_runs_agent_created",
        "ix_agent_runs_created_at",
        "ix_agent_runs_created_id",
        "ix_agent_runs_id_pattern",
        "ix_agent_runs_idempotency_key",
        "ix_agent_runs_meta_jsonb",
        "ix_agent_runs_meta_thread_created",
        "ix_agent_runs_parent_created",
        "ix_agent_runs_parent_run_id",
        "ix_agent_runs_retry_of_run_id",
        "ix_agent_runs_status",
        "ix_agent_runs_status_created",
        "ix_agent_runs_tenant_created",
        "ix_agent_runs_tenant_id",
      ]);
    }
  });

  it("enforces foreign keys: children rows cascade, a deleted parent unlinks its child runs", async () => {
    const agent = new Agent({ provider: new MockLLM(["hi"]), prompt: "p", databaseUrl: database.url });
    const result = await agent.run("x");
    await agent.close();
    await inspect(async (db) => {
      if (backend.name === "sqlite") await sql`PRAGMA foreign_keys = ON`.execute(db);
      await expect(
        sql`INSERT INTO run_events (id, agent_run_id, event_type, sequence_index, iteration_index, created_at) VALUES ('X', 'missing', 'x', 0, 0, ${backend.name === "sqlite" ? "2026-01-01 00:00:00.000000" : new Date()})`.execute(db),
      ).rejects.toThrow();
      // a child keeps its row but loses its link when the parent goes
      const childId = "01CHILDOFDELETEDPARENT0000";
      await sql`INSERT INTO agent_runs (id, agent_name, status, iteration_count, parent_run_id, delegation_level, total_input_tokens, total_output_tokens, total_cache_read_tokens, total_cache_creation_tokens, total_reasoning_tokens, cancel_requested, created_at, updated_at)
        SELECT ${childId}, agent_name, status, 0, id, 1, 0, 0, 0, 0, 0, cancel_requested, created_at, updated_at FROM agent_runs WHERE id = ${result.runId}`.execute(db);
      await sql`DELETE FROM agent_runs WHERE id = ${result.runId}`.execute(db);
      const left = await sql<{ n: number }>`SELECT count(*) AS n FROM run_events WHERE agent_run_id = ${result.runId}`.execute(db);
      expect(Number(left.rows[0]!.n)).toBe(0);
      const traces = await sql<{ n: number }>`SELECT count(*) AS n FROM react_traces WHERE agent_run_id = ${result.runId}`.execute(db);
      expect(Number(traces.rows[0]!.n)).toBe(0);
      const child = await sql<{ parent_run_id: string | null }>`SELECT parent_run_id FROM agent_runs WHERE id = ${childId}`.execute(db);
      expect(child.rows).toEqual([{ parent_run_id: null }]);
    });
  });
});
