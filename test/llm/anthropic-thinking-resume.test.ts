import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { AnthropicProvider } from "../../src/llm/anthropic/index.js";
import { describeEachBackend, withDatabase } from "../support/backends.js";
import { FakeVendor } from "../support/fake-vendor.js";
import { add } from "../support/tools.js";

const execFileAsync = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const message = (content: unknown[], stop: string) => ({
  json: { id: "msg_1", type: "message", role: "assistant", model: "claude-test", content, stop_reason: stop, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 5 } },
});

let vendor: FakeVendor | undefined;
afterEach(async () => {
  await vendor?.stop();
  vendor = undefined;
});

describeEachBackend("Anthropic thinking blocks across a pause", (backend) => {
  it("are kept in pause_data and sent back unchanged by a resume in another process", async () => {
    const thinking = { type: "thinking", thinking: "Sum requested; the add tool needs approval.", signature: "EqQBCkgIARABGAIiQL+sig/==" };
    const redacted = { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIw" };
    const toolUse = { type: "tool_use", id: "toolu_7", name: "add", input: { a: 2, b: 3 } };
    vendor = await new FakeVendor([message([thinking, redacted, toolUse], "tool_use"), message([{ type: "text", text: "5" }], "end_turn")]).start();
    const database = await backend.create();
    try {
      const agent = new Agent({
        name: "Thinker",
        provider: new AnthropicProvider({ model: "claude-test", apiKey: "sk-ant-test", baseURL: vendor.url, thinking: true, maxRetries: 0 }),
        prompt: "You add numbers.",
        tools: [add],
        requireApproval: ["add"],
        databaseUrl: database.url,
      });
      const paused = await agent.run("2+3");
      await agent.close();
      expect(paused.status).toBe("waiting_approval");

      const stored = await withDatabase(database.url, (db) => db.selectFrom("agent_runs").select("pause_data").where("id", "=", paused.runId).executeTakeFirstOrThrow());
      const pauseData = (typeof stored.pause_data === "string" ? JSON.parse(stored.pause_data) : stored.pause_data) as { history: { role: string; meta?: Record<string, unknown> }[] };
      const assistant = pauseData.history.find((m) => m.role === "assistant")!;
      expect(assistant.meta).toEqual({ anthropic_thinking_blocks: [thinking, redacted] });

      const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", join(root, "test/support/thinking-resume-child.ts"), database.url, vendor.url, paused.runId], {
        cwd: root,
        env: { ...process.env, DENDRUX_LOG: "silent" },
      });
      expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual({ runId: paused.runId, status: "success", answer: "5" });
      expect(vendor.requests).toHaveLength(2);
      expect((vendor.requests[1]!.body.messages as unknown[]).slice(0, 2)).toEqual([
        { role: "user", content: "2+3" },
        { role: "assistant", content: [thinking, redacted, toolUse] },
      ]);
    } finally {
      await database.cleanup();
    }
  });
});
