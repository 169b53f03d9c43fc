import { afterEach, describe, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { OpenRouterProvider } from "../../src/llm/openrouter/index.js";
import { FakeVendor, type FakeReply } from "../support/fake-vendor.js";
import { add } from "../support/tools.js";

let vendor: FakeVendor;
afterEach(async () => vendor?.stop());

const catalog: FakeReply = {
  json: {
    data: [
      { id: "deepseek/deepseek-chat", name: "DeepSeek", context_length: 64000, supported_parameters: ["tools", "temperature"] },
      { id: "old/text-only", name: "Text only", supported_parameters: ["temperature"] },
    ],
  },
};
const completion: FakeReply = {
  json: { id: "x", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } },
};

describe("OpenRouterProvider", () => {
  it("sends require_parameters and attribution headers, after checking the catalog for native tools", async () => {
    vendor = await new FakeVendor([catalog, completion]).start();
    const provider = new OpenRouterProvider({ model: "deepseek/deepseek-chat", apiKey: "sk-or", baseURL: `${vendor.url}/api/v1`, appUrl: "https://app.example", appName: "Demo" });
    await new Agent({ provider, prompt: "p", tools: [add] }).run("x", { toolChoice: "required" });
    const [models, chat] = vendor.requests;
    expect(models!.path).toBe("/api/v1/models");
    expect(models!.headers.authorization).toBeUndefined();
    expect(chat!.path).toBe("/api/v1/chat/completions");
    expect(chat!.headers).toMatchObject({ authorization: "Bearer sk-or", "http-referer": "https://app.example", "x-title": "Demo" });
    expect(chat!.body).toMatchObject({ model: "deepseek/deepseek-chat", max_tokens: 16000, tool_choice: "required", provider: { require_parameters: true } });
    expect(chat!.body).not.toHaveProperty("prompt_cache_key");
    expect(chat!.body).not.toHaveProperty("max_completion_tokens");
  });

  it("refuses a model without native tool support before any chat request", async () => {
    vendor = await new FakeVendor([catalog]).start();
    const provider = new OpenRouterProvider({ model: "old/text-only", apiKey: "sk-or", baseURL: `${vendor.url}/api/v1` });
    await expect(new Agent({ provider, prompt: "p", tools: [add] }).run("x")).rejects.toThrow(/does not advertise native tool support/);
    expect(vendor.requests.map((r) => r.path)).toEqual(["/api/v1/models"]);
    const models = await provider.listModels();
    expect(models.map((m) => [m.id, m.supportsTools])).toEqual([["deepseek/deepseek-chat", true], ["old/text-only", false]]);
  });

  it("needs OPENROUTER_API_KEY", () => {
    const saved = process.env.OPENROUTER_API_KEY;
    delete process.env.OPENROUTER_API_KEY;
    try {
      expect(() => new OpenRouterProvider({ model: "m" })).toThrow("OPENROUTER_API_KEY");
    } finally {
      if (saved !== undefined) process.env.OPENROUTER_API_KEY = saved;
    }
  });
});
