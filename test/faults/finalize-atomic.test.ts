import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Agent } from "../../src/index.js";
import { describeEachBackend, withDatabase, type TestDatabase } from "../support/backends.js";
import { faultAgent, planInput } from "./support/fault-agent.js";
import { audit } from "./support/invariants.js";

/**
 * A run's final status and its terminal event are two writes: a process that
 * dies between them (the SIGKILL storm hit this on PostgreSQL, seed 3128739381)
 * leaves a `success` run whose trail never says so. A failing insert of the
 * terminal event reproduces the same window deterministically.
 */
describeEachBackend("finalizing a run is all or nothing", (backend) => {
  let database: TestDatabase;
  let agent: Agent;
  beforeAll(async () => {
    database = await backend.create();
    agent = faultAgent({ databaseUrl: database.url, effectsFile: "/dev/null" });
    // The first run creates the SQLite schema; it finishes normally.
    expect((await agent.run(planInput({ steps: 0, width: 1, llmDelayMs: 0, toolDelayMs: 0 }))).status).toBe("success");
    await withDatabase(database.url, async (db) => {
      if (database.kind === "sqlite") {
        await sql`CREATE TRIGGER no_completed BEFORE INSERT ON run_events WHEN NEW.event_type = 'run.completed' BEGIN SELECT RAISE(ABORT, 'terminal event lost'); END`.execute(db);
      } else {
        await sql`CREATE FUNCTION no_completed() RETURNS trigger AS $$ BEGIN IF NEW.event_type = 'run.completed' THEN RAISE EXCEPTION 'terminal event lost'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`.execute(db);
        await sql`CREATE TRIGGER no_completed BEFORE INSERT ON run_events FOR EACH ROW EXECUTE FUNCTION no_completed()`.execute(db);
      }
    });
  });
  afterAll(async () => {
    await agent.close();
    await database.cleanup();
  });

  it("a run whose terminal event cannot be written is not left finished without it", async () => {
    await agent.run(planInput({ steps: 1, width: 1, llmDelayMs: 0, toolDelayMs: 0 })).catch(() => undefined);
    const report = await audit(database.url, [], { allowRunning: true });
    expect(report.finishedWithoutTerminalEvent).toEqual([]);
  });
});
