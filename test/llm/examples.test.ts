import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, expect, it } from "vitest";
import { FakeVendor } from "../support/fake-vendor.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
let vendor: FakeVendor;
afterEach(async () => vendor?.stop());

it("the OpenAI-compatible example talks to a local server through the official SDK", async () => {
  const reply = (message: Record<string, unknown>) => ({
    json: { id: "x", object: "chat.completion", created: 1, model: "llama", choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: "stop" }] },
  });
  vendor = await new FakeVendor([
    reply({ content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "add", arguments: '{"a":1234,"b":4321}' } }] }),
    reply({ content: "1234 + 4321 = 5555" }),
  ]).start();
  const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/providers/local-server.ts"], {
    cwd: root,
    env: { ...process.env, OPENAI_COMPATIBLE_URL: `${vendor.url}/v1`, MODEL: "llama3.1", DENDRUX_LOG: "silent" },
  });
  expect(stdout.trim()).toBe("1234 + 4321 = 5555");
  expect(vendor.requests[0]!.body).toMatchObject({ model: "llama3.1", max_tokens: 16000 });
  expect(vendor.requests[1]!.body.messages).toContainEqual({ role: "tool", tool_call_id: "call_1", content: "5555" });
});

it("examples that need a key say so and send nothing", async () => {
  const env = { ...process.env };
  delete env.ANTHROPIC_API_KEY;
  const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/providers/streaming-text.ts"], { cwd: root, env });
  expect(stdout).toContain("set ANTHROPIC_API_KEY");
});
