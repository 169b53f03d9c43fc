/**
 * A chatbot's turns: history kept in a list, every run tagged with the
 * thread and the user, then the thread read back through RunStore.
 */
import { Agent, ChatMessage, type LLMProvider } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { MockLLM } from "dendrux/llm/mock";
import { RunStore } from "dendrux/store";

const TURNS = ["Hi! I'm planning a trip to Lisbon.", "What should I eat there?", "And one museum?"];

function offlineModel(): LLMProvider {
  const replies = [
    "Lovely choice! When are you going?",
    "Try pastéis de nata and grilled sardines.",
    "The Gulbenkian Museum is a must.",
  ];
  return new MockLLM(
    replies.map((text, i) => ({ text, usage: { inputTokens: 120 + 40 * i, outputTokens: 18, costUsd: 0.0004 + 0.0001 * i } })),
    { model: "offline-mock" },
  );
}

export async function chat(databaseUrl: string): Promise<void> {
  const threadId = `thread_${Date.now().toString(36)}`;
  const userId = "u_123";
  await using agent = new Agent({ name: "ChatBot", provider: process.env.ANTHROPIC_API_KEY && !process.env.DENDRUX_OFFLINE ? new AnthropicProvider({ model: "claude-haiku-4-5" }) : offlineModel(), prompt: "You are a friendly assistant. Reply briefly.", databaseUrl });

  const history: ChatMessage[] = [];
  for (const text of TURNS) {
    const result = await agent.run(text, { history, metadata: { thread_id: threadId, user_id: userId } });
    console.log(`user: ${text}\nbot:  ${result.answer}\n`);
    history.push(ChatMessage.user(text), ChatMessage.assistant(result.answer ?? ""));
  }

  await using store = RunStore.fromDatabaseUrl(databaseUrl);
  const runs = await store.listRuns({ metadataFilter: { thread_id: threadId } });
  console.log(`thread ${threadId}: ${await store.countRuns({ metadataFilter: { thread_id: threadId } })} runs`);
  for (const run of [...runs].reverse()) {
    console.log(`  ${run.runId}  ${run.status.padEnd(8)} $${(run.totalCostUsd ?? 0).toFixed(6)}  ${run.createdAt?.toISOString()}`);
  }
  const mine = await store.listRuns({ metadataFilter: { user_id: userId }, limit: 50 });
  const total = mine.reduce((sum, r) => sum + (r.totalCostUsd ?? 0), 0);
  console.log(`user ${userId}: ${mine.length} runs, total cost $${total.toFixed(6)}`);
}
