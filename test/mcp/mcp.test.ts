import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, SingleCall, ValidationError } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { MCPServer } from "../../src/mcp/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { startHttpMcpServer } from "../support/mcp-tools-server.js";

const root = join(import.meta.dirname, "..", "..");
const stdioServer = () => new MCPServer("tools", { command: [process.execPath, "--import", "tsx", join(root, "test/support/mcp-tools-server.ts")] });

describe("MCPServer construction", () => {
  it.each([
    ["bad name", { url: "http://x" }, /not a valid identifier/],
    ["a__b", { url: "http://x" }, /cannot contain '__'/],
    ["ok", {}, /exactly one transport/],
    ["ok", { url: "http://x", command: ["x"] }, /exactly one transport/],
    ["ok", { command: [] }, /non-empty list/],
    ["ok", { command: ["x", 1] }, /only strings/],
  ])("rejects %s / %o", (name, options, message) => {
    expect(() => new MCPServer(name, options as never)).toThrow(ValidationError);
    expect(() => new MCPServer(name, options as never)).toThrow(message);
  });

  it("is refused by SingleCall agents and must have unique names", () => {
    expect(() => new Agent({ provider: new MockLLM([]), prompt: "p", loop: new SingleCall(), toolSources: [stdioServer()] })).toThrow(/cannot discover tools/);
    expect(() => new Agent({ provider: new MockLLM([]), prompt: "p", toolSources: [stdioServer(), stdioServer()] })).toThrow(/duplicate toolSources name 'tools'/);
  });
});

describeEachBackend("MCP tools in a run", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  let http: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
    http = await startHttpMcpServer();
  });
  afterAll(async () => {
    await store.close();
    await http.close();
    await database.cleanup();
  });

  it("discovers stdio tools, calls them, and records mcp.connected", async () => {
    const llm = new MockLLM([
      { toolCalls: [{ name: "tools__echo", params: { text: "hi" } }, { name: "tools__sum", params: { a: 2, b: 3 } }, { name: "tools__fail" }, { name: "tools__read_file", params: { path: "a.txt" } }] },
      "done",
      "second",
    ]);
    const agent = new Agent({ name: "Mcp", provider: llm, prompt: "p", toolSources: [stdioServer()], databaseUrl: database.url });
    try {
      const result = await agent.run("go");
      expect(result.status).toBe("success");
      expect(llm.calls[0]!.tools!.map((t) => t.name)).toEqual(["tools__echo", "tools__fail", "tools__read_file", "tools__sum"]);
      expect(llm.calls[0]!.tools!.find((t) => t.name === "tools__read_file")!.meta).toMatchObject({ source_name: "tools", mcp_tool_name: "read.file", transport: "stdio" });
      const toolMessages = llm.calls[1]!.messages.filter((m) => m.role === "tool").map((m) => m.content);
      expect(toolMessages).toEqual(['"echo: hi"', '{"total": 5}', '{"error": "disk on fire"}', '"contents of a.txt"']);
      const events = await store.getEvents(result.runId);
      expect(events[1]).toMatchObject({
        eventType: "mcp.connected",
        iterationIndex: 0,
        data: { source_name: "tools", tool_count: 4, tool_names: ["tools__echo", "tools__sum", "tools__fail", "tools__read_file"] },
      });
      // Discovery is cached per agent: the next run reuses the session and still records what the source offers.
      const second = await agent.run("again");
      expect((await store.getEvents(second.runId))[1]!.eventType).toBe("mcp.connected");
    } finally {
      await agent.close();
    }
  });

  it("works over Streamable HTTP, with deny and approval by canonical name", async () => {
    const llm = new MockLLM([{ toolCalls: [{ name: "remote__echo", params: { text: "a" } }, { name: "remote__sum", params: { a: 1, b: 1 } }] }, "ok"]);
    const agent = new Agent({
      name: "Mcp",
      provider: llm,
      prompt: "p",
      toolSources: [new MCPServer("remote", { url: http.url })],
      deny: ["remote__echo"],
      requireApproval: ["remote__sum"],
      databaseUrl: database.url,
    });
    try {
      const paused = await agent.run("go");
      expect(paused.status).toBe("waiting_approval");
      const done = await agent.submitApproval(paused.runId, { approved: true });
      expect(done.status).toBe("success");
      const tools = await store.getToolInvocations(paused.runId);
      expect(tools).toMatchObject([{ toolName: "remote__sum", result: { total: 2 }, success: true }]);
    } finally {
      await agent.close();
    }
  });

  it("a failing source records mcp.error and fails the run; unknown governance names fail at discovery", async () => {
    const broken = new Agent({ name: "Mcp", provider: new MockLLM(["never"]), prompt: "p", toolSources: [new MCPServer("down", { url: "http://127.0.0.1:9/mcp" })], databaseUrl: database.url });
    await expect(broken.run("go")).rejects.toThrow();
    const [row] = await store.listRuns({ status: "error", agentName: "Mcp" });
    const events = await store.getEvents(row!.runId);
    expect(events.map((e) => e.eventType)).toEqual(["run.started", "mcp.error", "run.error"]);
    await broken.close();

    const misnamed = new Agent({ provider: new MockLLM(["never"]), prompt: "p", toolSources: [new MCPServer("remote", { url: http.url })], deny: ["remote__nope"] });
    await expect(misnamed.run("go")).rejects.toThrow(/deny contains unknown tool\(s\): \["remote__nope"\]/);
    await misnamed.close();
  });
});
