import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, expect, it } from "vitest";
import { FakeVendor } from "../support/fake-vendor.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
let vendor: FakeVendor;
afterEach(async () => vendor?.stop());

it("the OpenAI-compatible example talks to the server at OLLAMA_BASE_URL through the official SDK, run and streamed", async () => {
  const reply = (message: Record<string, unknown>) => ({
    json: { id: "x", object: "chat.completion", created: 1, model: "llama", choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: "stop" }] },
  });
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => [null, { id: "y", object: "chat.completion.chunk", created: 1, model: "llama", choices: [{ index: 0, delta, finish_reason: finish }] }] as const;
  vendor = await new FakeVendor([
    { json: { object: "list", data: [] } }, // the example's "is a server there?" probe of /models
    reply({ content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "add", arguments: '{"a":1234,"b":4321}' } }] }),
    reply({ content: "1234 + 4321 = 5555" }),
    { sse: [chunk({ role: "assistant", tool_calls: [{ index: 0, id: "call_2", type: "function", function: { name: "add", arguments: '{"a":100,"b":23}' } }] }), chunk({}, "tool_calls"), [null, "[DONE]"]] },
    { sse: [chunk({ role: "assistant", content: "The total is 123." }), chunk({}, "stop"), [null, "[DONE]"]] },
  ]).start();
  const env: NodeJS.ProcessEnv = { ...process.env, OLLAMA_BASE_URL: `${vendor.url}/v1`, OLLAMA_MODEL: "llama3.1", DENDRUX_LOG: "silent" };
  delete env.DENDRUX_OFFLINE;
  const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/27_openai_compatible_ollama.ts"], { cwd: root, env });
  expect(stdout).toContain(`== run() against llama3.1 @ ${vendor.url}/v1 ==`);
  expect(stdout).toContain("Answer: 1234 + 4321 = 5555");
  expect(stdout).toContain('>> add({"a":100,"b":23})');
  expect(stdout).toContain("<< 123");
  expect(stdout).toContain("The total is 123.");
  const chats = vendor.requests.filter((r) => r.path === "/v1/chat/completions");
  expect(chats).toHaveLength(4);
  // Off api.openai.com: max_tokens, and none of OpenAI's own fields.
  expect(chats[0]!.body).toMatchObject({ model: "llama3.1", max_tokens: 16000 });
  expect(chats[0]!.body).not.toHaveProperty("prompt_cache_key");
  expect(chats[1]!.body.messages).toContainEqual({ role: "tool", tool_call_id: "call_1", content: "5555" });
  expect(chats[2]!.body).toMatchObject({ stream: true });
});
