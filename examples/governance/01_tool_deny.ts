/**
 * Governance: deny. The agent has three tools but `delete_account` is denied
 * by policy: when the model calls it, the tool never runs, the model gets a
 * denied result instead and carries on. Batch (`run`) and streaming.
 *
 *   npx tsx examples/governance/01_tool_deny.ts          # ANTHROPIC_API_KEY=… for Claude
 */
import { Agent } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { ConsoleNotifier } from "dendrux/notifiers";
import { lastUserText, online, scriptedModel } from "../shared/setup.js";
import { SUPPORT_PROMPT, deleteAccount, refund, search } from "./support-tools.js";

const offline = scriptedModel([
  (request) =>
    /refund/i.test(lastUserText(request))
      ? { toolCalls: [{ name: "delete_account", params: { user_id: 42 } }, { name: "refund", params: { order_id: 456 } }] }
      : { toolCalls: [{ name: "delete_account", params: { user_id: 99 } }, { name: "search", params: { query: "user 99" } }] },
  (request) =>
    /refund/i.test(lastUserText(request))
      ? "Order 456 is refunded ($4560.00). I am not allowed to delete accounts, so user 42's account is untouched."
      : "I found user 99's records, but deleting accounts is not permitted for me.",
]);

await using agent = new Agent({
  provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offline,
  prompt: SUPPORT_PROMPT,
  tools: [search, refund, deleteAccount],
  deny: ["delete_account"],
});

console.log(`${"=".repeat(60)}\nBATCH MODE\n${"=".repeat(60)}`);
const notifier = new ConsoleNotifier();
const result = await agent.run("Delete user 42's account and refund order 456.", { notifier });
notifier.printSummary(result);
console.log(`\nAnswer: ${result.answer}`);

console.log(`\n${"=".repeat(60)}\nSTREAMING MODE\n${"=".repeat(60)}\n`);
for await (const event of agent.stream("Delete user 99's account and search for their records.")) {
  if (event.type === "text_delta") process.stdout.write(event.text);
  else if (event.type === "tool_result") {
    const r = event.toolResult;
    console.log(r.success === false ? `\n  [denied] ${r.name}: ${r.error}` : `\n  [tool] ${r.name}: ${r.payload}`);
  } else if (event.type === "run_completed") console.log(`\n\nStatus: ${event.result.status}`);
}
