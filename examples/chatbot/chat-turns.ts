/**
 * A chatbot's turns: history kept in a list, every run tagged with the
 * thread and the user, then the thread read back through RunStore. On a
 * terminal you type the turns; otherwise a scripted conversation plays.
 */
import { createInterface } from "node:readline/promises";
import { Agent, ChatMessage, type AgentOptions } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { ConsoleNotifier } from "dendrux/notifiers";
import { RunStore } from "dendrux/store";
import { online, scriptedModel } from "../shared/setup.js";

/** A scripted conversation: what the user says, and what the offline model answers (when the turn reaches it). */
export interface Turn {
  readonly user: string;
  readonly offlineReply?: string;
}

export const TRIP: readonly Turn[] = [
  { user: "Hi! I'm planning a trip to Lisbon.", offlineReply: "Lovely choice! When are you going?" },
  { user: "What should I eat there?", offlineReply: "Try pastéis de nata and grilled sardines." },
  { user: "And one museum?", offlineReply: "The Gulbenkian Museum is a must." },
];

export interface ChatOptions extends Pick<AgentOptions, "guardrails" | "budget"> {
  readonly name?: string;
  readonly turns?: readonly Turn[];
  /** Print each run live (steps, governance events). */
  readonly verbose?: boolean;
}

/** The user's lines: typed on a terminal, else the script. */
async function* userLines(turns: readonly Turn[]): AsyncGenerator<string> {
  if (!process.stdin.isTTY) {
    for (const turn of turns) yield turn.user;
    return;
  }
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  console.log("Chatbot ready. Ctrl+D or 'quit' to leave.\n");
  try {
    for (;;) {
      const line = (await terminal.question("you> ").catch(() => "quit")).trim();
      if (line === "" || line === "quit" || line === "exit") return;
      yield line;
    }
  } finally {
    terminal.close();
  }
}

export async function chat(databaseUrl: string, options: ChatOptions = {}): Promise<void> {
  const turns = options.turns ?? TRIP;
  const threadId = `thread_${Date.now().toString(36)}`;
  const userId = "u_123";
  const replies = turns.flatMap((t) => (t.offlineReply ? [t.offlineReply] : []));
  const offline = scriptedModel([
    (request) => {
      const i = request.messages.filter((m) => m.role === "assistant").length;
      return { text: replies[i] ?? "Noted.", usage: { inputTokens: 120 + 40 * i, outputTokens: 18, costUsd: 0.0004 + 0.0001 * i } };
    },
  ]);
  await using agent = new Agent({
    name: options.name ?? "ChatBot",
    provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-haiku-4-5" }) : offline,
    prompt: "You are a friendly assistant. Reply briefly.",
    databaseUrl,
    ...(options.guardrails ? { guardrails: options.guardrails } : {}),
    ...(options.budget ? { budget: options.budget } : {}),
  });

  const history: ChatMessage[] = [];
  const notifier = options.verbose ? new ConsoleNotifier() : undefined;
  for await (const text of userLines(turns)) {
    const result = await agent.run(text, { history, metadata: { thread_id: threadId, user_id: userId }, ...(notifier ? { notifier } : {}) });
    if (result.status === "success") {
      console.log(`user: ${text}\nbot:  ${result.answer}\n`);
      history.push(ChatMessage.user(text), ChatMessage.assistant(result.answer ?? ""));
    } else {
      // A blocked turn stays out of the history, so the next turn does not carry it.
      console.log(`user: ${text}\nbot:  [${result.status}] ${result.error ?? "no answer"}\n`);
    }
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
