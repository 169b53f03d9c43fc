import { afterAll, beforeAll, expect, it } from "vitest";
import { listRunsCommand, tracesCommand } from "../../src/cli/read-commands.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { loadGolden, loadReferenceDatabase } from "./reference-fixtures.js";

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, ""); // eslint-disable-line no-control-regex

/** `dendrux runs` and `dendrux traces` over a database the Python reference wrote (the CLI reads DENDRUX_DATABASE_URL). */
describeEachBackend("the CLI over runs the Python reference wrote", (backend) => {
  const { runs } = loadGolden(backend.name);
  let database: TestDatabase;
  const saved = process.env.DENDRUX_DATABASE_URL;

  beforeAll(async () => {
    database = await loadReferenceDatabase(backend);
    process.env.DENDRUX_DATABASE_URL = database.url;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.DENDRUX_DATABASE_URL;
    else process.env.DENDRUX_DATABASE_URL = saved;
    await database?.cleanup();
  });

  it("dendrux runs lists every run, waiting ones included", async () => {
    const lines: string[] = [];
    expect(await listRunsCommand({ limit: 100, offset: 0 }, (l) => lines.push(plain(l)))).toBe(0);
    const listed = lines.slice(2).map((l) => l.split(/\s+/));
    expect(listed.map((cells) => cells[0]).sort()).toEqual(Object.values(runs).sort());
    const statusOf = (id: string) => listed.find((cells) => cells[0] === id)![2];
    expect(statusOf(runs.approval_waiting)).toBe("waiting_approval");
    expect(statusOf(runs.client_waiting)).toBe("waiting_client_tool");
    expect(statusOf(runs.clarification_waiting)).toBe("waiting_human_input");
    expect(statusOf(runs.failed)).toBe("error");
  });

  it("dendrux traces shows a reference run's conversation and tool calls", async () => {
    const lines: string[] = [];
    expect(await tracesCommand(runs.server_tool_success, { tools: true }, (l) => lines.push(plain(l)))).toBe(0);
    const text = lines.join("\n");
    expect(text).toContain(`Run ${runs.server_tool_success}`);
    expect(text).toContain("Support  •  success  •  2 iterations  •  model: mock-1");
    expect(text).toContain("[0] user\nWhere is order 1042?");
    expect(text).toContain("Order 1042 was delivered.");
    expect(text).toMatch(/lookup_order\s+✓/);
  });
});
