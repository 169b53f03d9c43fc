/**
 * What the agent is: its tools (one per kind of stop — a server tool, a
 * client tool, a tool behind approval, a denied tool), its governance and
 * one agent per provider. Every provider gets the same tools, rules and
 * store (one pool for all of them); only the model differs.
 */
import { z } from "zod";
import { Agent, Budget, tool, type LLMProvider, type LLMRequest } from "dendrux";
import { PII, Pattern, SecretDetection } from "dendrux/guardrails";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { OpenAIProvider } from "dendrux/llm/openai";
import type { RunStore } from "dendrux/store";
import { lastUserText, online, scriptedModel, toolResults } from "../shared/setup.js";

const ORDERS: Record<string, { customer_email: string; status: string; total: string }> = {
  "4421": { customer_email: "jane@acme.com", status: "shipped", total: "$210.00" },
  "5102": { customer_email: "bob@example.com", status: "pending", total: "$48.50" },
};

const lookupOrder = tool({
  name: "lookup_order",
  description: "Look an order up by id.",
  parameters: z.object({ order_id: z.string() }),
  execute: ({ order_id }) => ORDERS[order_id] ?? { error: `order ${order_id} not found` },
});

/** Runs in the user's browser: the run pauses until the page submits the result. */
const contactCustomer = tool({
  name: "contact_customer",
  description: "Have the user's browser deliver a message to a customer.",
  parameters: z.object({ email: z.string(), message: z.string() }),
  target: "client",
  execute: () => "",
});

const issueRefund = tool({
  name: "issue_refund",
  description: "Refund an order. A person approves each refund before it runs.",
  parameters: z.object({ order_id: z.string(), amount_usd: z.number() }),
  execute: ({ order_id, amount_usd }) => `Refunded order ${order_id} for $${amount_usd.toFixed(2)}.`,
});

const deleteAccount = tool({
  name: "delete_account",
  description: "Delete a customer account.",
  parameters: z.object({ user_id: z.string() }),
  execute: () => {
    throw new Error("unreachable: delete_account is denied by policy");
  },
});

const PROMPT =
  "You are the support agent of Duskwell Supply Co. You can look orders up, contact customers (the user's browser " +
  "delivers the message), issue refunds (a person approves each one) and delete accounts. Keep answers short.";

/** The same rules for every provider: deny, approval, an advisory budget and three guardrails with three actions. */
const governance = () => ({
  deny: ["delete_account"],
  requireApproval: ["issue_refund"],
  budget: new Budget({ maxTokens: 20_000 }),
  guardrails: [
    new PII({ action: "redact" }), // emails, phones… become <<EMAIL_ADDRESS_1>> for the model; tools get the real value
    new SecretDetection({ action: "block" }), // credentials end the run before the model sees them
    new PII({ action: "warn", includeDefaults: false, extraPatterns: [new Pattern("INTERNAL_TICKET", String.raw`TKT-\d{6,}`)] }), // recorded only
  ],
});

/** Offline: what a model does with each kind of request — it sees placeholders, never the redacted values. */
function offlineSupport(): LLMProvider {
  const first = (request: LLMRequest) => {
    const text = lastUserText(request);
    const refund = /refund order (\d+) for \$(\d+(?:\.\d+)?)/i.exec(text);
    if (refund) return { toolCalls: [{ name: "issue_refund", params: { order_id: refund[1], amount_usd: Number(refund[2]) } }] };
    const email = /<<EMAIL_ADDRESS_\d+>>/.exec(text)?.[0];
    if (email) return { toolCalls: [{ name: "contact_customer", params: { email, message: "Your parcel is delayed by two days; sorry for the wait." } }] };
    const account = /delete (?:the )?account (\S+?)[.!\s]/i.exec(`${text} `);
    if (account) return { toolCalls: [{ name: "delete_account", params: { user_id: account[1] } }] };
    const order = /order (\d+)/i.exec(text);
    if (order) return { toolCalls: [{ name: "lookup_order", params: { order_id: order[1] } }] };
    return "I can look orders up, contact customers, issue refunds (with approval) — what do you need?";
  };
  const after = (request: LLMRequest) => {
    const r = toolResults(request);
    if (r.issue_refund !== undefined) return r.issue_refund.startsWith("Refunded") ? `Done. ${r.issue_refund}` : "Understood: no refund was issued.";
    if (r.contact_customer !== undefined) return `Message delivered to the customer (${r.contact_customer}).`;
    if (r.delete_account !== undefined) return "I am not allowed to delete accounts; please ask an administrator.";
    return `Here is the order: ${r.lookup_order}`;
  };
  return scriptedModel([first, after], { model: "offline-support" });
}

export type ProviderName = "offline" | "anthropic" | "openai";

/** The providers this process can use: the vendors whose key is set, first, and offline always. */
export function availableProviders(): ProviderName[] {
  return [...(online("ANTHROPIC_API_KEY") ? (["anthropic"] as const) : []), ...(online("OPENAI_API_KEY") ? (["openai"] as const) : []), "offline"];
}

function providerFor(name: ProviderName): LLMProvider {
  if (name === "anthropic") return new AnthropicProvider({ model: "claude-sonnet-4-6" });
  if (name === "openai") return new OpenAIProvider({ model: "gpt-4o-mini" });
  return offlineSupport();
}

/**
 * One agent per available provider, all named "SupportAgent" (any of them can
 * resume the others' runs), all writing through `store`: the app opens one
 * pool and closes it; closing an agent leaves it open.
 */
export function buildAgents(store: RunStore): Map<ProviderName, Agent> {
  return new Map(
    availableProviders().map((name) => [name, new Agent({ name: "SupportAgent", provider: providerFor(name), prompt: PROMPT, tools: [lookupOrder, contactCustomer, issueRefund, deleteAccount], store, ...governance() })]),
  );
}
