/**
 * The tour of examples 20 and 21: seven stages, each one runtime feature
 * (server tools, deny, approval, rejection, a client tool, a budget, PII
 * guardrails) run through a notifier, and a tracker that counts every hook
 * and governance event so the coverage can be printed at the end.
 */
import { z } from "zod";
import { Agent, Budget, GovernanceEventType, tool, type LLMProvider, type Notifier, type RunResult, type RunStream, type ToolResult } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { PII } from "dendrux/guardrails";
import { type ModelStep, online, scriptedModel } from "./setup.js";

const HOOKS = ["onRunStarted", "onRunFinished", "onRunFailed", "onMessageAppended", "onLlmCallStarted", "onLlmCallCompleted", "onLlmCallFailed", "onToolStarted", "onToolCompleted", "onGovernanceEvent"] as const;

/** A notifier that counts every hook call, and every governance event by type. */
export interface HookTracker {
  readonly notifier: Notifier;
  readonly hooks: Map<string, number>;
  readonly governance: Map<string, number>;
}

export function hookTracker(): HookTracker {
  const hooks = new Map<string, number>();
  const governance = new Map<string, number>();
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const notifier: Notifier = Object.fromEntries(
    HOOKS.map((hook) => [
      hook,
      (...args: unknown[]) => {
        count(hooks, hook);
        if (hook === "onGovernanceEvent") count(governance, args[1] as string);
      },
    ]),
  );
  return { notifier, hooks, governance };
}

const lookupCustomer = tool({
  name: "lookup_customer",
  description: "Look a customer up by id: name, email and phone.",
  parameters: z.object({ customer_id: z.string() }),
  execute: ({ customer_id }) => ({ id: customer_id, name: "Jane Doe", email: "jane@example.com", phone: "+1-555-444-3333" }),
});
const sendEmail = tool({
  name: "send_email",
  description: "Send an email.",
  parameters: z.object({ to: z.string(), subject: z.string(), body: z.string() }),
  execute: ({ to, subject }) => `sent email to ${to}: ${subject}`,
});
const refund = tool({
  name: "refund",
  description: "Refund an order. A manager must approve it.",
  parameters: z.object({ order_id: z.number() }),
  execute: ({ order_id }) => `refunded $${(order_id * 10).toFixed(2)} for order ${order_id}`,
});
const deleteAccount = tool({
  name: "delete_account",
  description: "Delete a user account for good.",
  parameters: z.object({ user_id: z.number() }),
  execute: ({ user_id }) => `deleted user ${user_id}`,
});
const readBrowserState = tool({
  name: "read_browser_state",
  description: "Read a value from the user's browser; the browser runs it.",
  parameters: z.object({ field: z.string() }),
  target: "client",
  execute: () => "",
});

/** Iterates a stream to its end and returns the run's result as of its terminal event. */
export async function drain(stream: RunStream): Promise<RunResult> {
  let last: RunResult | null = null;
  for await (const event of stream) {
    if (event.type === "run_completed" || event.type === "run_paused" || event.type === "run_error" || event.type === "run_cancelled") last = event.result;
  }
  return last!;
}

const real = online("ANTHROPIC_API_KEY");
/** Claude with a key; offline, the steps a model would take in that stage. */
const model = (steps: readonly ModelStep[]): LLMProvider => (real ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : scriptedModel(steps));
const usage = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens });

/** Streams a refund request until it pauses for approval, then lets `decide` settle it. */
async function withPausedRefund(databaseUrl: string, notifier: Notifier, orderId: number, answer: string, decide: (agent: Agent, runId: string) => Promise<void>): Promise<void> {
  await using agent = new Agent({
    provider: model([{ toolCalls: [{ name: "refund", params: { order_id: orderId } }] }, answer]),
    prompt: "You are a support agent. Use refund for refunds.",
    tools: [refund],
    requireApproval: ["refund"],
    databaseUrl,
  });
  const first = await drain(agent.stream(`Please refund order ${orderId}.`, { notifier }));
  if (first.status !== "waiting_approval") throw new Error(`expected waiting_approval, got ${first.status}`);
  await decide(agent, first.runId);
}

export interface Stage {
  readonly title: string;
  run(databaseUrl: string, notifier: Notifier): Promise<void>;
}

export const STAGES: readonly Stage[] = [
  {
    title: "Stage 1 — streaming + server tools",
    async run(databaseUrl, notifier) {
      await using agent = new Agent({
        provider: model([
          { toolCalls: [{ name: "lookup_customer", params: { customer_id: "C-1001" } }] },
          { toolCalls: [{ name: "send_email", params: { to: "jane@example.com", subject: "Hello", body: "Hi Jane!" } }] },
          "Done: Jane got a short hello.",
        ]),
        prompt: "You look customers up and email them. Be brief.",
        tools: [lookupCustomer, sendEmail],
        databaseUrl,
      });
      await drain(agent.stream("Find customer C-1001 and send them a short hello email.", { notifier }));
    },
  },
  {
    title: "Stage 2 — streaming + deny policy",
    async run(databaseUrl, notifier) {
      await using agent = new Agent({
        provider: model([
          { toolCalls: [{ name: "delete_account", params: { user_id: 42 } }, { name: "lookup_customer", params: { customer_id: "C-2002" } }] },
          "I may not delete accounts; customer C-2002 is Jane Doe.",
        ]),
        prompt: "You are a support agent. Use the tools; delete_account is the only way to remove a user.",
        tools: [lookupCustomer, deleteAccount],
        deny: ["delete_account"],
        databaseUrl,
      });
      await drain(agent.stream("Remove user 42's account, then look up customer C-2002.", { notifier }));
    },
  },
  {
    title: "Stage 3 — streaming approval (approved through resumeStream)",
    run: (databaseUrl, notifier) =>
      // No submission: resumeStream approves the pending call.
      withPausedRefund(databaseUrl, notifier, 7, "Order 7 was refunded ($70.00).", async (agent, runId) => void (await drain(agent.resumeStream(runId, { notifier })))),
  },
  {
    title: "Stage 4 — rejection (submitApproval approved: false)",
    run: (databaseUrl, notifier) =>
      withPausedRefund(databaseUrl, notifier, 99, "The refund of order 99 was declined: the order is too old.", async (agent, runId) => {
        await agent.submitApproval(runId, { approved: false, rejectionReason: "Manager declined: the order is too old." }, { notifier });
      }),
  },
  {
    title: "Stage 5 — a client tool, resumed with resumeStream",
    async run(databaseUrl, notifier) {
      await using agent = new Agent({
        provider: model([{ toolCalls: [{ name: "read_browser_state", params: { field: "theme" } }] }, "Your browser uses the dark theme."]),
        prompt: "Read values from the browser with read_browser_state, then say briefly what you found.",
        tools: [readBrowserState],
        databaseUrl,
      });
      const first = await drain(agent.stream("Which theme does my browser use?", { notifier }));
      if (first.status !== "waiting_client_tool") throw new Error(`expected waiting_client_tool, got ${first.status}`);
      const [call] = first.pendingToolCalls!;
      const results: ToolResult[] = [{ name: call!.name, callId: call!.id, payload: JSON.stringify("dark") }];
      await drain(agent.resumeStream(first.runId, { toolResults: results, notifier }));
    },
  },
  {
    title: "Stage 6 — streaming + a small budget",
    async run(databaseUrl, notifier) {
      await using agent = new Agent({
        provider: model([
          { toolCalls: [{ name: "lookup_customer", params: { customer_id: "C-3003" } }], usage: usage(240, 40) },
          { toolCalls: [{ name: "lookup_customer", params: { customer_id: "C-3003-b" } }], usage: usage(330, 50) },
          { text: "C-3003 is Jane Doe, reachable by email and phone; no further records.", usage: usage(410, 60) },
        ]),
        prompt: "You research customers: look them up, several times if useful, and write a detailed profile.",
        tools: [lookupCustomer],
        budget: new Budget({ maxTokens: 500 }),
        databaseUrl,
      });
      await drain(agent.stream("Research customer C-3003 thoroughly and write a detailed profile.", { notifier }));
    },
  },
  {
    title: "Stage 7 — PII guardrail (redacts before every LLM call)",
    async run(databaseUrl, notifier) {
      await using agent = new Agent({
        provider: model([
          { toolCalls: [{ name: "lookup_customer", params: { customer_id: "C-4004" } }] },
          { toolCalls: [{ name: "send_email", params: { to: "<<EMAIL_ADDRESS_1>>", subject: "Hello", body: "Hi!" } }] },
          "Emailed <<EMAIL_ADDRESS_1>> a short hello.",
        ]),
        prompt: "You look customers up and email them; pass the contact details from the lookup to send_email.",
        tools: [lookupCustomer, sendEmail],
        guardrails: [new PII()],
        databaseUrl,
      });
      await agent.run("Find customer C-4004 and email them a short hello.", { notifier });
    },
  },
];

const EXPECTED_GOVERNANCE = [
  GovernanceEventType.POLICY_DENIED,
  GovernanceEventType.APPROVAL_REQUESTED,
  GovernanceEventType.APPROVAL_DECIDED,
  GovernanceEventType.BUDGET_THRESHOLD,
  GovernanceEventType.BUDGET_EXCEEDED,
  GovernanceEventType.GUARDRAIL_DETECTED,
  GovernanceEventType.GUARDRAIL_REDACTED,
];

/** The coverage table: every hook and expected governance event with its count (onRunFailed and onLlmCallFailed stay at 0: no stage fails). */
export function printCoverage(tracker: HookTracker): void {
  console.log("\nLifecycle hooks");
  for (const hook of HOOKS) {
    const n = tracker.hooks.get(hook) ?? 0;
    console.log(`  ${hook.padEnd(20)} ${String(n).padStart(4)}  ${n > 0 ? "✓" : "–"}`);
  }
  console.log("\nGovernance event types");
  for (const type of EXPECTED_GOVERNANCE) {
    const n = tracker.governance.get(type) ?? 0;
    console.log(`  ${type.padEnd(20)} ${String(n).padStart(4)}  ${n > 0 ? "✓" : "✗"}`);
  }
  for (const [type, n] of tracker.governance) if (!(EXPECTED_GOVERNANCE as string[]).includes(type)) console.log(`  ${type.padEnd(20)} ${String(n).padStart(4)}  ?`);
}
