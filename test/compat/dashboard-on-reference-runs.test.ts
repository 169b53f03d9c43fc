import { afterAll, beforeAll, expect, it } from "vitest";
import { type Dashboard, openDashboard } from "../../src/dashboard/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { loadGolden, loadReferenceDatabase, ordered, type RouterAnswer } from "./reference-fixtures.js";

/** The dashboard's JSON API over runs the Python reference wrote, against what the reference's dashboard API answered. */
describeEachBackend("the dashboard over runs the Python reference wrote", (backend) => {
  let database: TestDatabase;
  let dashboard: Dashboard;

  beforeAll(async () => {
    database = await loadReferenceDatabase(backend);
    dashboard = await openDashboard({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await dashboard?.close();
    await database?.cleanup();
  });

  const groups = new Map<string, RouterAnswer[]>();
  for (const a of loadGolden(backend.name).dashboard) {
    const key = /^\/api\/runs\/([^/?]+)/.exec(a.path)?.[1] ?? "/api/runs, /api/health";
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }

  it.each([...groups.entries()])("answers %s as the reference's dashboard API did", async (_group, group: RouterAnswer[]) => {
    for (const want of group) {
      const res = await dashboard.app.request(want.path, { headers: { host: "127.0.0.1" } });
      expect(res.status, want.path).toBe(want.status);
      expect(ordered(await res.json()), want.path).toEqual(ordered(want.body));
    }
  });

  it("departure: timestamps end in Z where the reference's dashboard writes +00:00Z", async () => {
    const theirs = loadGolden(backend.name).dashboard.find((a) => a.path === "/api/runs")!.body as { runs: { created_at: string }[] };
    const ours = (await (await dashboard.app.request("/api/runs", { headers: { host: "127.0.0.1" } })).json()) as { runs: { created_at: string }[] };
    expect(theirs.runs[0]!.created_at).toMatch(/\+00:00Z$/);
    expect(ours.runs[0]!.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$/);
    expect(ordered(ours.runs[0]!.created_at)).toEqual(ordered(theirs.runs[0]!.created_at));
  });
});
