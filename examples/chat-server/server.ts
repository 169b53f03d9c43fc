/**
 * A minimal chat backend: a thread page, one agent run per turn (tagged with
 * the thread), history loaded from the thread, and the thread followed live
 * over Server-Sent Events — all from one process.
 *
 *   npx tsx examples/chat-server/server.ts      # then open http://127.0.0.1:8788/
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { Agent, ChatMessage, sweep, type LLMProvider } from "dendrux";
import { makeReadRouter } from "dendrux/http";
import { MockLLM } from "dendrux/llm/mock";
import { RunStore } from "dendrux/store";
import { THREAD_PAGE } from "./page.js";

/** Offline replies, so the example runs without an API key. */
function offlineModel(): LLMProvider {
  const replies = ["Hello! How can I help?", "Interesting — tell me more.", "Noted.", "Sure thing.", "Good question!"];
  return new MockLLM(Array.from({ length: 500 }, (_, i) => `${replies[i % replies.length]} (#${i + 1})`), { model: "offline-mock" });
}

export async function buildChatServer(databaseUrl: string, provider: LLMProvider = offlineModel()) {
  // Turns a crashed process left running are closed at start (this also creates the tables of a new SQLite file).
  await sweep({ databaseUrl, staleRunningMs: 15 * 60_000 });
  const store = RunStore.fromDatabaseUrl(databaseUrl);
  const agent = new Agent({ name: "ChatBot", provider, prompt: "You are a friendly assistant. Reply briefly.", databaseUrl });
  const app = new Hono();

  app.get("/", (c) => c.html(THREAD_PAGE));

  // One turn: the thread's earlier turns become the history; the run is tagged with the thread.
  app.post("/api/threads/:threadId/messages", async (c) => {
    const threadId = c.req.param("threadId");
    const body = (await c.req.json().catch(() => null)) as { text?: unknown } | null;
    if (!body || typeof body.text !== "string" || body.text.trim() === "") return c.json({ detail: "text is required" }, 400);
    const earlier = await store.getThread(threadId, { limit: 50 });
    const history = earlier.filter((t) => t.status === "success").flatMap((t) => [ChatMessage.user(t.input ?? ""), ChatMessage.assistant(t.answer ?? "")]);
    const stream = agent.stream(body.text, { history, metadata: { thread_id: threadId } });
    // The page follows the run over SSE; the request returns as soon as the run exists.
    void (async () => {
      for await (const _event of stream) {
        // drain: the run writes its events as it goes
      }
    })().catch((error) => console.error("turn failed", error));
    return c.json({ run_id: stream.runId }, 202);
  });

  app.route("/api", makeReadRouter({ store, authorize: () => undefined, includeMetadata: true, keepaliveMs: 15_000 }));
  return { app, store, agent, close: async () => void (await Promise.all([agent.close(), store.close()])) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DENDRUX_DATABASE_URL ?? "sqlite:///./chat.db";
  const port = Number(process.env.PORT ?? 8788);
  const { app } = await buildChatServer(url);
  serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => console.log(`chat on http://127.0.0.1:${port}/ (database ${url})`));
}
