/**
 * Governance: every layer on one stored run — deny, approval, budget and a PII
 * guardrail — then the run's timeline as the dashboard shows it.
 *
 *   npx tsx examples/governance/05_dashboard.ts
 *   npx dendrux dashboard          # then open http://localhost:8001 and click the run
 */
import { z } from "zod";
import { Agent, Budget, tool } from "dendrux";
import { buildTimeline } from "dendrux/dashboard";
import { PII } from "dendrux/guardrails";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { ConsoleNotifier } from "dendrux/notifiers";
import { RunStore } from "dendrux/store";
import { DATABASE_URL, online, scriptedModel } from "../shared/setup.js";
import { SUPPORT_PROMPT, deleteAccount, refund } from "./support-tools.js";

const search = tool({ name: "search", description: "Search customer records.", parameters: z.object({ query: z.string() }), execute: ({ query }) => `Found: customer record for '${query}', email: jane@example.com` });

const offline = scriptedModel([
  { toolCalls: [{ name: "search", params: { query: "user 42" } }], usage: { inputTokens: 900, outputTokens: 40 } },
  { toolCalls: [{ name: "delete_account", params: { user_id: 42 } }, { name: "refund", params: { order_id: 456 } }], usage: { inputTokens: 1_100, outputTokens: 60 } },
  { text: "User 42 (<<EMAIL_ADDRESS_1>>) is found and order 456 refunded; deleting the account is not allowed for me.", usage: { inputTokens: 1_300, outputTokens: 50 } },
]);

let runId: string;
{
  await using agent = new Agent({
    name: "GovernanceAgent",
    provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offline,
    prompt: SUPPORT_PROMPT,
    tools: [search, refund, deleteAccount],
    deny: ["delete_account"],
    requireApproval: ["refund"],
    budget: new Budget({ maxTokens: 3_000 }),
    guardrails: [new PII()],
    databaseUrl: DATABASE_URL,
  });
  const notifier = new ConsoleNotifier();
  console.log(`${"=".repeat(60)}\nA run with every governance layer\n${"=".repeat(60)}`);
  let result = await agent.run("Search for user 42, delete their account, and refund order 456.", { notifier });
  if (result.status === "waiting_approval") {
    console.log(`\nRun paused — ${result.status}`);
    for (const call of result.pendingToolCalls ?? []) console.log(`  Pending: ${call.name}(${JSON.stringify(call.params)})`);
    console.log("\nApproving automatically for the demo...");
    result = await agent.submitApproval(result.runId, { approved: true }, { notifier });
  }
  notifier.printSummary(result);
  console.log(`\nAnswer: ${result.answer}\nRun ID: ${result.runId}`);
  runId = result.runId;
}

// The run's timeline as the dashboard builds it from the stored rows, governance decisions included.
await using store = RunStore.fromDatabaseUrl(DATABASE_URL);
const nodes = buildTimeline(await store.getEvents(runId), await store.getTraces(runId), await store.getToolInvocations(runId), await store.getPauses(runId));
console.log("\nTimeline (as the dashboard shows it):");
for (const node of nodes) console.log(`  ${[node.type, node.event_type, node.tool_name].filter(Boolean).join(" ")}`);
console.log(`\nSee it in the browser:\n  npx dendrux dashboard --db ${DATABASE_URL}\nthen open http://localhost:8001 and click the run.`);
