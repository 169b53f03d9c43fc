/**
 * A local stand-in for an OpenAI-compatible server (Ollama, vLLM, OpenRouter…):
 * `POST /v1/chat/completions`, plain and streamed, and `GET /v1/models`. The
 * examples point the real providers at it when the real server is not there,
 * so the whole path — the official SDK, the wire format, the adapter — runs.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

/** A chat message as it arrives on the wire. */
export interface WireMessage {
  readonly role: string;
  readonly content?: string | null;
  readonly tool_calls?: readonly { readonly function: { readonly name: string; readonly arguments: string } }[];
}

/** What the stand-in model answers: text, or tool calls with their arguments. */
export interface StandInReply {
  readonly text?: string;
  readonly toolCalls?: readonly { readonly name: string; readonly arguments: Record<string, unknown> }[];
}

/** One model of `GET /v1/models`, in OpenRouter's catalog shape. */
export interface StandInModel {
  readonly id: string;
  readonly name: string;
  readonly context_length: number;
  readonly supported_parameters: readonly string[];
  readonly pricing: { readonly prompt: string; readonly completion: string };
  readonly architecture: { readonly input_modalities: readonly string[] };
}

export interface StandInServer {
  /** The base URL to give a provider, ending in `/v1`. */
  readonly url: string;
  close(): Promise<void>;
}

function sseChunks(id: string, model: string, reply: StandInReply, usage: Record<string, number>): string[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id, object: "chat.completion.chunk", created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] });
  const frames: unknown[] = [chunk({ role: "assistant", content: "" })];
  for (const word of (reply.text ?? "").match(/\S+\s*/g) ?? []) frames.push(chunk({ content: word }));
  (reply.toolCalls ?? []).forEach((call, index) => {
    frames.push(chunk({ tool_calls: [{ index, id: `call_${index}`, type: "function", function: { name: call.name, arguments: "" } }] }));
    frames.push(chunk({ tool_calls: [{ index, function: { arguments: JSON.stringify(call.arguments) } }] }));
  });
  frames.push(chunk({}, reply.toolCalls?.length ? "tool_calls" : "stop"));
  frames.push({ id, object: "chat.completion.chunk", created: 0, model, choices: [], usage });
  return [...frames.map((f) => `data: ${JSON.stringify(f)}\n\n`), "data: [DONE]\n\n"];
}

/** Starts the stand-in on a free loopback port. */
export async function startOpenAICompatibleStandIn(options: {
  readonly reply: (messages: readonly WireMessage[], model: string) => StandInReply;
  readonly models?: readonly StandInModel[];
}): Promise<StandInServer> {
  const app = new Hono();
  let served = 0;
  app.get("/v1/models", (c) => c.json({ data: options.models ?? [] }));
  app.post("/v1/chat/completions", async (c) => {
    const body = (await c.req.json()) as { model: string; messages: WireMessage[]; stream?: boolean };
    const reply = options.reply(body.messages, body.model);
    const id = `chatcmpl-${(served += 1)}`;
    const prompt = JSON.stringify(body.messages).length >> 2;
    const usage = { prompt_tokens: prompt, completion_tokens: 12, total_tokens: prompt + 12 };
    if (body.stream) {
      return new Response(sseChunks(id, body.model, reply, usage).join(""), { headers: { "content-type": "text/event-stream" } });
    }
    const toolCalls = (reply.toolCalls ?? []).map((call, i) => ({ id: `call_${i}`, type: "function", function: { name: call.name, arguments: JSON.stringify(call.arguments) } }));
    return c.json({
      id,
      object: "chat.completion",
      created: 0,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content: reply.text ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }, finish_reason: toolCalls.length ? "tool_calls" : "stop" }],
      usage,
    });
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({ url: `http://127.0.0.1:${info.port}/v1`, close: () => new Promise<void>((done) => server.close(() => done())) }),
    );
  });
}
