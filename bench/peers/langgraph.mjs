/**
 * LangGraph.js workload: the canonical tool loop (agent node → ToolNode → agent …)
 * compiled with a checkpointer — MemorySaver, SqliteSaver or PostgresSaver — and a
 * scripted chat model that needs no network. One graph per process, a new thread per run.
 */
import { tool } from "@langchain/core/tools";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage } from "@langchain/core/messages";
import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode, toolsCondition } from "@langchain/langgraph/prebuilt";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { z } from "zod";
import { ITERATIONS, TOOL_TURNS, readSpec, report, timeRuns } from "./sample.mjs";

/** Answers from the conversation so far: a tool call until TOOL_TURNS results are in, then the answer. */
class ScriptedChatModel extends BaseChatModel {
  _llmType() {
    return "scripted";
  }

  bindTools() {
    return this;
  }

  async _generate(messages) {
    const done = messages.filter((m) => m.getType() === "tool").length;
    const usage_metadata = { input_tokens: 10, output_tokens: 5, total_tokens: 15 };
    const message =
      done < TOOL_TURNS
        ? new AIMessage({ content: "", tool_calls: [{ id: `call_${done + 1}`, name: "add", args: { a: done + 1, b: done + 1 } }], usage_metadata })
        : new AIMessage({ content: "done", usage_metadata });
    return { generations: [{ text: typeof message.content === "string" ? message.content : "", message }] };
  }
}

const spec = readSpec();
const add = tool(({ a, b }) => String(a + b), { name: "add", description: "Add.", schema: z.object({ a: z.number(), b: z.number() }) });
const model = new ScriptedChatModel({}).bindTools([add]);

async function checkpointer() {
  if (spec.backend === "memory") return new MemorySaver();
  if (spec.backend === "sqlite") return SqliteSaver.fromConnString(spec.path);
  return PostgresSaver.fromConnString(spec.url);
}

const saver = await checkpointer();
if (spec.setup) {
  // Run once by run.mjs before the timed rounds, as a deployment would.
  await saver.setup();
  await saver.end?.();
  report({ setup: true });
  process.exit(0);
}

const graph = new StateGraph(MessagesAnnotation)
  .addNode("agent", async (state) => ({ messages: [await model.invoke(state.messages)] }))
  .addNode("tools", new ToolNode([add]))
  .addEdge(START, "agent")
  .addConditionalEdges("agent", toolsCondition, ["tools", END])
  .addEdge("tools", "agent")
  .compile({ checkpointer: saver });

let thread = 0;
const samples = await timeRuns(
  spec,
  () => ({ configurable: { thread_id: `t${process.pid}_${thread++}` }, durability: spec.durability }),
  async (config) => {
    const out = await graph.invoke({ messages: [{ role: "user", content: "go" }] }, config);
    if (out.messages.at(-1).content !== "done" || out.messages.length !== 2 + 2 * TOOL_TURNS) throw new Error("unexpected LangGraph result");
  },
);

const sqlite = spec.backend === "sqlite" ? { journalMode: saver.db.pragma("journal_mode", { simple: true }), synchronous: saver.db.pragma("synchronous", { simple: true }), version: saver.db.prepare("select sqlite_version()").pluck().get() } : undefined;
await saver.end?.();
if (spec.backend === "sqlite") saver.db.close();
report({ samples, iterations: ITERATIONS, sqlite });
