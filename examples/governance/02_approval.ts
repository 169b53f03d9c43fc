/**
 * Governance: approval (human in the loop). `refund` needs a person's
 * sign-off: when the model calls it, the run pauses `waiting_approval` and is
 * stored; an operator approves or rejects it, by run id, now or from another
 * process. `delete_account` is denied outright; `search` runs freely.
 *
 *   npx tsx examples/governance/02_approval.ts            # asks you (approve or reject)
 *   npx tsx examples/governance/02_approval.ts --reject   # or decide up front: --approve / --reject
 */
import { createInterface } from "node:readline/promises";
import { Agent } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { ConsoleNotifier } from "dendrux/notifiers";
import { DATABASE_URL, online, scriptedModel, toolResults } from "../shared/setup.js";
import { SUPPORT_PROMPT, deleteAccount, refund, search } from "./support-tools.js";

const offline = scriptedModel([
  { toolCalls: [{ name: "refund", params: { order_id: 456 } }, { name: "delete_account", params: { user_id: 42 } }] },
  (request) =>
    toolResults(request).refund?.startsWith("Refunded")
      ? "Order 456 is refunded ($4560.00). Deleting accounts is not allowed for me, so user 42 stays."
      : "The refund of order 456 was not approved, and deleting accounts is not allowed for me. Nothing was changed.",
]);

/** --approve / --reject, else a question on the terminal (approve when there is none). */
async function decide(): Promise<{ approved: boolean; reason: string }> {
  if (process.argv.includes("--approve")) return { approved: true, reason: "" };
  if (process.argv.includes("--reject")) return { approved: false, reason: "Rejected by the operator: refunds over $1,000 need a ticket." };
  if (!process.stdin.isTTY) return { approved: true, reason: "" };
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const approved = (await terminal.question("Approve? [y/n]: ")).trim().toLowerCase() === "y";
    const reason = approved ? "" : (await terminal.question("Rejection reason: ")).trim() || "Rejected by the operator";
    return { approved, reason };
  } finally {
    terminal.close();
  }
}

await using agent = new Agent({
  provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offline,
  prompt: SUPPORT_PROMPT,
  tools: [search, refund, deleteAccount],
  deny: ["delete_account"],
  requireApproval: ["refund"],
  databaseUrl: DATABASE_URL,
});
const notifier = new ConsoleNotifier();

console.log("Starting run...");
let result = await agent.run("Refund order 456 and delete user 42's account.", { notifier });
if (result.status === "waiting_approval") {
  console.log(`\n${"=".repeat(50)}\nRun paused — ${result.status}\nRun ID: ${result.runId}\n${"=".repeat(50)}`);
  for (const call of result.pendingToolCalls ?? []) console.log(`  Pending: ${call.name}(${JSON.stringify(call.params)})`);
  const { approved, reason } = await decide();
  console.log(approved ? "\nApproving...\n" : `\nRejecting: ${reason}\n`);
  // The approved calls run now; a rejected call's reason becomes its result for the model.
  result = await agent.submitApproval(result.runId, approved ? { approved: true } : { approved: false, rejectionReason: reason }, { notifier });
}
notifier.printSummary(result);
console.log(`\nAnswer: ${result.answer}`);
