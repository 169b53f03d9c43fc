import { afterAll, beforeAll, expect, it } from "vitest";
import type { Output } from "../../src/cli/cli-context.js";
import { runsCommand, tracesCommand } from "../../src/cli/read-commands.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { loadGolden, loadReferenceDatabase } from "./reference-fixtures.js";

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, ""); // eslint-disable-line no-control-regex

/** An `Output` that collects what a command prints, as a pipe would get it (no terminal: no colours, tab-separated). */
function collect(): { out: Output; lines: string[]; json: unknown[] } {
  const lines: string[] = [];
  const json: unknown[] = [];
  const identity = (s: string) => s;
  const colors = new Proxy({}, { get: () => identity }) as Output["colors"];
  return { lines, json, out: { tty: false, colors, line: (text = "") => void lines.push(plain(text)), json: (value) => void json.push(value) } };
}

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
    const { out, json } = collect();
    expect(await runsCommand({ limit: 100, offset: 0, json: true }, out)).toBe(0);
    const listed = json[0] as { run_id: string; status: string }[];
    expect(listed.map((r) => r.run_id).sort()).toEqual(Object.values(runs).sort());
    const statusOf = (id: string) => listed.find((r) => r.run_id === id)!.status;
    expect(statusOf(runs.approval_waiting)).toBe("waiting_approval");
    expect(statusOf(runs.client_waiting)).toBe("waiting_client_tool");
    expect(statusOf(runs.clarification_waiting)).toBe("waiting_human_input");
    expect(statusOf(runs.failed)).toBe("error");
  });

  it("dendrux traces shows a reference run's conversation and tool calls", async () => {
    const { out, lines } = collect();
    expect(await tracesCommand(runs.server_tool_success, { tools: true, json: false }, out)).toBe(0);
    const text = lines.join("\n");
    expect(text).toContain(`Run ${runs.server_tool_success}`);
    expect(text).toContain("Support  •  success  •  2 iterations  •  model: mock-1");
    expect(text).toContain("[0] user\nWhere is order 1042?");
    expect(text).toContain("Order 1042 was delivered.");
    expect(text).toMatch(/lookup_order\s+✓/);
  });
});
