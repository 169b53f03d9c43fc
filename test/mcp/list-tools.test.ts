import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { Agent, tool, ValidationError, type ToolSource } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { MCPServer } from "../../src/mcp/index.js";
import { describeEachBackend, useRunDatabase } from "../support/backends.js";
import { startHttpMcpServer } from "../support/mcp-tools-server.js";

const lookup = tool({ name: "lookup", description: "Look an order up.", parameters: z.object({ id: z.string() }), execute: ({ id }) => id });

/** A real MCP server, counting how often it is discovered (each discovery is a new connection). */
function counted(source: ToolSource): ToolSource & { discoveries: number } {
  return {
    name: source.name,
    discoveries: 0,
    discover() {
      this.discoveries += 1;
      return source.discover();
    },
    close: () => source.close(),
  };
}

describeEachBackend("agent.listTools()", (backend) => {
  const db = useRunDatabase(backend);
  let http: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    http = await startHttpMcpServer();
  });
  afterAll(async () => http?.close());

  it("lists every tool before a run, MCP-discovered ones with their source, and the run reuses that discovery", async () => {
    const remote = counted(new MCPServer("remote", { url: http.url }));
    const llm = new MockLLM([{ toolCalls: [{ name: "remote__sum", params: { a: 2, b: 3 } }] }, "5"]);
    const agent = db.track(new Agent({ name: "Lister", provider: llm, prompt: "p", tools: [lookup], toolSources: [remote], databaseUrl: db.url }));

    const tools = await agent.listTools();
    expect(tools.map((t) => [t.name, t.source, t.description])).toEqual([
      ["lookup", null, "Look an order up."],
      ["remote__echo", "remote", "Echo the text."],
      ["remote__fail", "remote", "Always fails."],
      ["remote__read_file", "remote", "A dotted name."],
      ["remote__sum", "remote", "Add numbers."],
    ]);
    expect(tools.find((t) => t.name === "remote__sum")).toMatchObject({
      target: "server",
      parameters: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } } },
      meta: { source_name: "remote", mcp_tool_name: "sum", transport: "http" },
    });
    expect(agent.getToolDefs().map((t) => t.name)).toEqual(["lookup"]);

    // The run offers the model exactly what was listed, without connecting again, and still records the discovery.
    const result = await agent.run("2 + 3?");
    expect(result).toMatchObject({ status: "success", answer: "5" });
    expect(llm.calls[0]!.tools!.map((t) => t.name)).toEqual(tools.map((t) => t.name));
    expect(remote.discoveries).toBe(1);
    const events = await db.store.getEvents(result.runId);
    expect(events.find((e) => e.eventType === "mcp.connected")?.data).toMatchObject({ source_name: "remote", tool_count: 4 });

    // close() ends the session; listing again connects again.
    await agent.close();
    expect((await agent.listTools()).length).toBe(5);
    expect(remote.discoveries).toBe(2);
  });

  it("works without a provider, and without tool sources lists the agent's own tools", async () => {
    const remote = new MCPServer("remote", { url: http.url });
    const operator = db.track(new Agent({ prompt: "p", toolSources: [remote] }));
    expect((await operator.listTools()).filter((t) => t.source === "remote")).toHaveLength(4);
    const local = new Agent({ provider: new MockLLM([]), prompt: "p", tools: [lookup] });
    expect(await local.listTools()).toEqual([{ ...local.getToolDefs()[0], source: null }]);
  });

  it("rejects like a run would when a source is down or a rule names an unknown tool", async () => {
    const down = new Agent({ provider: new MockLLM([]), prompt: "p", toolSources: [new MCPServer("down", { url: "http://127.0.0.1:9/mcp" })] });
    // The transport's own error, as a run gets it (nothing listens on the discard port).
    await expect(down.listTools()).rejects.toThrow(new TypeError("fetch failed"));
    await down.close();

    const misnamed = db.track(new Agent({ provider: new MockLLM([]), prompt: "p", toolSources: [new MCPServer("remote", { url: http.url })], deny: ["remote__nope"] }));
    const denied = await misnamed.listTools().catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ValidationError);
    expect((denied as ValidationError).message).toMatch(/deny contains unknown tool\(s\): \["remote__nope"\]/);
    await expect(misnamed.listTools()).rejects.toThrow(ValidationError);
  });
});
