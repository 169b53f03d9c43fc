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

  it("lists the catalog with prices and modalities, so it can be filtered with plain array methods", async () => {
    // OpenRouter's /models wire format: prices are strings in USD per token, "-1" means variable pricing.
    vendor = await new FakeVendor([
      {
        json: {
          data: [
            {
              id: "meta-llama/llama-3.3-70b-instruct:free",
              name: "Llama 3.3 70B (free)",
              context_length: 131072,
              architecture: { modality: "text->text", input_modalities: ["text"], output_modalities: ["text"], tokenizer: "Llama3" },
              pricing: { prompt: "0", completion: "0", request: "0", image: "0" },
              supported_parameters: ["tools", "tool_choice", "temperature"],
            },
            {
              id: "openai/gpt-4o-mini",
              name: "GPT-4o-mini",
              context_length: 128000,
              architecture: { modality: "text+image->text", input_modalities: ["text", "image", "file"], output_modalities: ["text"] },
              pricing: { prompt: "0.00000015", completion: "0.0000006" },
              supported_parameters: ["tools", "response_format"],
            },
            { id: "legacy/vision", name: "", context_length: 8192.0, architecture: { modality: "text+image->text" }, pricing: { prompt: "0", completion: "0.000002" } },
            { id: "openrouter/auto", name: "Auto Router", architecture: {}, pricing: { prompt: "-1", completion: "-1" }, supported_parameters: ["tools"] },
            { name: "no id: skipped" },
          ],
        },
      },
    ]).start();
    const provider = new OpenRouterProvider({ model: "openai/gpt-4o-mini", apiKey: "sk-or", baseURL: `${vendor.url}/api/v1/catalog-test` });
    const models = await provider.listModels();
    expect(models.map((m) => m.id)).toEqual(["meta-llama/llama-3.3-70b-instruct:free", "openai/gpt-4o-mini", "legacy/vision", "openrouter/auto"]);
    expect(models[1]).toEqual({
      id: "openai/gpt-4o-mini",
      name: "GPT-4o-mini",
      contextLength: 128000,
      supportedParameters: ["tools", "response_format"],
      promptPrice: 0.00000015,
      completionPrice: 0.0000006,
      inputModalities: ["text", "image", "file"],
      outputModalities: ["text"],
      supportsTools: true,
      isFree: false,
      isMultimodal: true,
    });
    // The older modality string is read when the lists are missing; missing fields are null or empty.
    expect(models[2]).toMatchObject({ name: "legacy/vision", contextLength: 8192, supportedParameters: [], inputModalities: ["text", "image"], outputModalities: ["text"], isFree: false, isMultimodal: true });
    // Variable pricing is unknown, and unknown pricing is not free; unknown modalities are not multimodal.
    expect(models[3]).toMatchObject({ promptPrice: null, completionPrice: null, isFree: false, inputModalities: [], isMultimodal: false });

    // The reference's model-filtering recipe.
    const freeWithTools = models.filter((m) => m.isFree && m.supportsTools).map((m) => m.id);
    expect(freeWithTools).toEqual(["meta-llama/llama-3.3-70b-instruct:free"]);
    const cheapestPaid = models
      .filter((m) => m.supportsTools && !m.isFree && (m.contextLength ?? 0) >= 128_000 && m.promptPrice !== null)
      .sort((a, b) => a.promptPrice! - b.promptPrice!)
      .map((m) => `${m.id} $${(m.promptPrice! * 1e6).toFixed(2)}/1M`);
    expect(cheapestPaid).toEqual(["openai/gpt-4o-mini $0.15/1M"]);
    expect(models.filter((m) => !m.isMultimodal).map((m) => m.id)).toEqual(["meta-llama/llama-3.3-70b-instruct:free", "openrouter/auto"]);
    expect(Object.isFrozen(models[0])).toBe(true);
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
