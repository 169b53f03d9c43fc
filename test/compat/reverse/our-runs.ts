import { z } from "zod";
import { Agent, askHuman, NativeToolCalling, tool, type Strategy } from "../../../src/index.js";
import { PII } from "../../../src/guardrails/index.js";
import { MockLLM, type MockStep } from "../../../src/llm/mock/index.js";
import { RunStore } from "../../../src/store/index.js";
import { withDatabase } from "../../support/backends.js";

/**
 * Runs written by our runtime for the Python reference to read and resume (`npm run compat:reference`). Each
 * scenario is one function returning what the reference must find; add a scenario by adding a function to
 * `SCENARIOS`.
 */

/** What the reference must read back for one run, and what it does next. */
export interface OurRun {
  readonly scenario: string;
  readonly runId: string;
  readonly agentName: string;
  readonly status: string;
  readonly totals: { readonly input: number; readonly output: number; readonly reasoning: number; readonly cacheRead: number };
  readonly eventTypes: readonly string[];
  readonly toolNames: readonly string[];
  readonly piiMappingSize: number;
  /** Names of the calls the open pause waits on (empty when the run is not paused). */
  readonly pendingTools: readonly string[];
  readonly metadata?: Record<string, string | number | boolean>;
  /** Runs whose `parent_run_id` is this run, as the reference must list them. */
  readonly children?: readonly string[];
  /** The reference resumes the run (approve / submit client results / answer), or re-sends an idempotent request. */
  readonly next?:
    | { readonly kind: "approve" }
    | { readonly kind: "client_results"; readonly results: readonly { name: string; call_id: string; payload: string }[] }
    | { readonly kind: "input"; readonly text: string }
    | { readonly kind: "same_idempotent_request"; readonly input: string; readonly key: string };
}

const lookupOrder = tool({
  name: "lookup_order",
  description: "Look up an order by id.",
  parameters: z.object({ order_id: z.string() }),
  execute: ({ order_id }) => ({ order_id, status: "delivered" }),
});
const refundOrder = tool({
  name: "refund_order",
  description: "Refund an order.",
  parameters: z.object({ order_id: z.string(), amount: z.number() }),
  execute: ({ order_id, amount }) => ({ order_id, refunded: amount }),
});
const readFile = tool({
  name: "read_file",
  description: "Read a file on the user's machine.",
  parameters: z.object({ path: z.string() }),
  target: "client",
});

/** Asks the user back instead of answering: the only way to reach `waiting_human_input` with a scripted model. */
class ClarifyOnce extends NativeToolCalling implements Strategy {
  override parseResponse(response: Parameters<Strategy["parseResponse"]>[0]): ReturnType<Strategy["parseResponse"]> {
    return { reasoning: response.text, action: { type: "clarification", question: "Which order do you mean?", options: ["1042", "1043"] }, rawResponse: response.text };
  }
}

function agent(url: string, script: MockStep[], extra: Partial<ConstructorParameters<typeof Agent>[0]> = {}): Agent {
  return new Agent({
    name: "Support",
    provider: new MockLLM(script, { model: "mock-ts" }),
    prompt: "You are a support agent.",
    tools: [lookupOrder, refundOrder, readFile],
    requireApproval: ["refund_order"],
    databaseUrl: url,
    ...extra,
  });
}

async function describeRun(url: string, scenario: string, runId: string, rest: Partial<OurRun> = {}): Promise<OurRun> {
  await using store = RunStore.fromDatabaseUrl(url);
  const run = (await store.getRun(runId))!;
  return {
    scenario,
    runId,
    agentName: run.agentName,
    status: run.status,
    totals: { input: run.totalInputTokens, output: run.totalOutputTokens, reasoning: run.totalReasoningTokens, cacheRead: run.totalCacheReadTokens },
    eventTypes: (await store.getEvents(runId)).map((e) => e.eventType),
    toolNames: (await store.getToolInvocations(runId)).map((t) => t.toolName),
    piiMappingSize: Object.keys(await store.getPiiMapping(runId)).length,
    pendingTools: ((await store.getPauses(runId)).find((p) => p.resumeSequenceIndex === null)?.pendingToolCalls ?? []).map((c) => (c as { name: string }).name),
    ...rest,
  };
}

const usage = (inputTokens: number, outputTokens: number, more: Record<string, number> = {}) => ({ inputTokens, outputTokens, ...more });

type Scenario = (url: string) => Promise<OurRun>;

const serverToolWithThread: Scenario = async (url) => {
  const metadata = { thread_id: "ts-thread-ü", user_id: 42, vip: true, note: "東京 — Zoë" };
  await using a = agent(url, [
    { toolCalls: [{ name: "lookup_order", params: { order_id: "1042" }, providerToolCallId: "toolu_ts_1" }], usage: usage(120, 30, { costUsd: 0.0012, cacheReadInputTokens: 10, reasoningTokens: 3 }) },
    { text: "Order 1042 was delivered.", usage: usage(160, 12, { costUsd: 0.0009 }) },
  ]);
  const r = await a.run("Where is order 1042?", { metadata, tenantId: "acme-ts" });
  return describeRun(url, "server_tool_with_thread", r.runId, { metadata });
};

const approvalApproved: Scenario = async (url) => {
  await using a = agent(url, [{ toolCalls: [{ name: "refund_order", params: { order_id: "1", amount: 5 } }], usage: usage(100, 20) }, "Refunded."]);
  const paused = await a.run("Refund order 1.");
  await a.submitApproval(paused.runId, { approved: true });
  return describeRun(url, "approval_approved_here", paused.runId);
};

const approvalRejected: Scenario = async (url) => {
  await using a = agent(url, [{ toolCalls: [{ name: "refund_order", params: { order_id: "2", amount: 500 } }], usage: usage(100, 20) }, "Not refunded."]);
  const paused = await a.run("Refund order 2.");
  await a.submitApproval(paused.runId, { approved: false, rejectionReason: "Over the limit" });
  return describeRun(url, "approval_rejected_here", paused.runId);
};

/** Paused with totals already on the row (we update totals during the run; the reference only at the end). */
const approvalWaiting: Scenario = async (url) => {
  await using a = agent(url, [
    { toolCalls: [{ name: "lookup_order", params: { order_id: "3" } }, { name: "refund_order", params: { order_id: "3", amount: 7.5 } }], usage: usage(110, 25, { reasoningTokens: 4 }) },
  ]);
  const paused = await a.run("Check and refund order 3.", { metadata: { thread_id: "ts-thread-ü", user_id: 42, vip: false } });
  return describeRun(url, "approval_waiting_here", paused.runId, { next: { kind: "approve" }, metadata: { thread_id: "ts-thread-ü", user_id: 42, vip: false } });
};

/**
 * Totals already on a paused row, as "totals are current while a run runs" writes them. Where the runtime does not
 * write them yet, the row gets its LLM calls' sums here, so the reference's resume is checked against that shape.
 */
const approvalWaitingWithTotals: Scenario = async (url) => {
  await using a = agent(url, [
    { toolCalls: [{ name: "refund_order", params: { order_id: "4", amount: 1.25 } }], usage: usage(210, 35, { costUsd: 0.004 }) },
  ]);
  const paused = await a.run("Refund order 4.");
  await withDatabase(url, async (db) => {
    const calls = await db.selectFrom("llm_interactions").select(["input_tokens", "output_tokens"]).where("agent_run_id", "=", paused.runId).execute();
    const sum = (k: "input_tokens" | "output_tokens") => calls.reduce((n, c) => n + c[k], 0);
    await db.updateTable("agent_runs").set({ total_input_tokens: sum("input_tokens"), total_output_tokens: sum("output_tokens") })
      .where("id", "=", paused.runId).where("total_input_tokens", "=", 0).execute();
  });
  return describeRun(url, "approval_waiting_with_totals_here", paused.runId, { next: { kind: "approve" } });
};

const clientWaiting: Scenario = async (url) => {
  await using a = agent(url, [{ toolCalls: [{ name: "read_file", params: { path: "/tmp/report.csv" } }], usage: usage(90, 15) }]);
  const paused = await a.run("Summarise my report.");
  const call = paused.pendingToolCalls![0]!;
  return describeRun(url, "client_waiting_here", paused.runId, {
    next: { kind: "client_results", results: [{ name: call.name, call_id: call.id, payload: JSON.stringify("a,b\n1,2") }] },
  });
};

const clarificationWaiting: Scenario = async (url) => {
  await using a = agent(url, [{ text: "Which one?", usage: usage(80, 10) }], { strategy: new ClarifyOnce() });
  const paused = await a.run("Cancel my order.");
  return describeRun(url, "clarification_waiting_here", paused.runId, { next: { kind: "input", text: "Order 1042, s'il vous plaît" } });
};

const cancelled: Scenario = async (url) => {
  await using a = agent(url, [{ toolCalls: [{ name: "read_file", params: { path: "/tmp/c.txt" } }], usage: usage(90, 15) }]);
  const paused = await a.run("What does c.txt say?");
  await a.cancelRun(paused.runId);
  return describeRun(url, "cancelled_here", paused.runId);
};

const failed: Scenario = async (url) => {
  await using a = agent(url, [{ toolCalls: [{ name: "lookup_order", params: { order_id: "9" } }], usage: usage(50, 5) }]);
  const result = await a.run("Where is order 9?").catch(() => null);
  await using store = RunStore.fromDatabaseUrl(url);
  const runId = result?.runId ?? (await store.listRuns({ status: "error", limit: 1 }))[0]!.runId;
  return describeRun(url, "failed_here", runId);
};

const piiRedacted: Scenario = async (url) => {
  await using a = agent(url, [
    { toolCalls: [{ name: "lookup_order", params: { order_id: "1042" } }], usage: usage(60, 8) },
    { text: "I emailed <<EMAIL_ADDRESS_1>> about order 1042.", usage: usage(90, 11) },
  ], { guardrails: [new PII()] });
  const r = await a.run("My email is zoe@example.com, where is order 1042?");
  return describeRun(url, "pii_redacted_here", r.runId);
};

const idempotent: Scenario = async (url) => {
  const input = "What is my balance? (é)";
  await using a = agent(url, [{ text: "Your balance is 10.", usage: usage(30, 4) }]);
  const r = await a.run(input, { idempotencyKey: "ts-balance-req-1" });
  return describeRun(url, "idempotent_here", r.runId, { next: { kind: "same_idempotent_request", input, key: "ts-balance-req-1" } });
};

const delegation: Scenario = async (url) => {
  await using researcher = new Agent({ name: "Researcher", provider: new MockLLM(["Mugs are popular."], { model: "mock-ts" }), prompt: "You research.", databaseUrl: url });
  const delegate = tool({
    name: "delegate_research",
    description: "Ask the research agent.",
    parameters: z.object({ topic: z.string() }),
    execute: async ({ topic }) => (await researcher.run(`Research ${topic}`)).answer ?? "",
  });
  await using coordinator = new Agent({
    name: "Coordinator",
    provider: new MockLLM([{ toolCalls: [{ name: "delegate_research", params: { topic: "mugs" } }] }, "Mugs sell."], { model: "mock-ts" }),
    prompt: "You coordinate.",
    tools: [delegate],
    databaseUrl: url,
  });
  const r = await coordinator.run("What sells?");
  await using store = RunStore.fromDatabaseUrl(url);
  const children = (await store.listRuns({ parentRunId: r.runId })).map((c) => c.runId);
  return describeRun(url, "delegation_here", r.runId, { children });
};

/** Approvals decided per call: one approved and run, one rejected with a reason; one approval.decided per call. */
const perCallDecisions: Scenario = async (url) => {
  await using a = agent(url, [
    { toolCalls: [{ name: "refund_order", params: { order_id: "5", amount: 5 } }, { name: "refund_order", params: { order_id: "6", amount: 600 } }], usage: usage(100, 20) },
    "Refunded order 5 only.",
  ]);
  const paused = await a.run("Refund orders 5 and 6.");
  const [first, second] = paused.pendingToolCalls!;
  await a.submitApproval(paused.runId, { decisions: [{ callId: first!.id, approved: true }, { callId: second!.id, approved: false, reason: "Over the limit" }] });
  return describeRun(url, "per_call_decisions_here", paused.runId);
};

/** An approved batch with a client tool in it: after the approval the run paused again, for the client. */
const approvedThenClient: Scenario = async (url) => {
  await using a = agent(url, [
    { toolCalls: [{ name: "refund_order", params: { order_id: "7", amount: 7 } }, { name: "read_file", params: { path: "/tmp/receipt.txt" } }], usage: usage(100, 20) },
  ]);
  const paused = await a.run("Refund order 7 and read the receipt.");
  await a.submitApproval(paused.runId, { approved: true });
  return describeRun(url, "approved_then_client_waiting_here", paused.runId);
};

/** A question asked through askHuman(): a human-target call pending in waiting_human_input. */
const askHumanWaiting: Scenario = async (url) => {
  await using a = agent(url, [{ toolCalls: [{ name: "ask_human", params: { question: "Which order?" } }], usage: usage(50, 8) }], {
    tools: [lookupOrder, refundOrder, readFile, askHuman()],
  });
  const paused = await a.run("Refund my order.");
  return describeRun(url, "ask_human_waiting_here", paused.runId);
};

export const SCENARIOS: readonly Scenario[] = [
  serverToolWithThread, approvalApproved, approvalRejected, approvalWaiting, approvalWaitingWithTotals, clientWaiting, clarificationWaiting, cancelled, failed,
  piiRedacted, idempotent, delegation, perCallDecisions, approvedThenClient, askHumanWaiting,
];

export async function writeOurRuns(url: string): Promise<OurRun[]> {
  const runs: OurRun[] = [];
  for (const scenario of SCENARIOS) runs.push(await scenario(url));
  return runs;
}
