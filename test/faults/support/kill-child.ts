/**
 * Starts `quota` runs of the fault agent with seeded plans and staggered starts,
 * announcing each (`STARTED <runId>`, `EVENT <type>` per stream event but text
 * deltas, `FINISHED <runId> <status>`), until the
 * parent SIGKILLs it. Arguments: databaseUrl effectsFile seed quota.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { prng } from "./fault-config.js";
import { faultAgent, planInput } from "./fault-agent.js";

const [databaseUrl, effectsFile, seedText, quotaText] = process.argv.slice(2);
const random = prng(Number(seedText));
const agent = faultAgent({ databaseUrl: databaseUrl!, effectsFile: effectsFile! });
process.stdout.write("UP\n");

async function one(): Promise<void> {
  const plan = { steps: random.int(1, 4), width: random.int(1, 3), llmDelayMs: random.int(0, 15), toolDelayMs: random.int(0, 25) };
  const stream = agent.stream(planInput(plan));
  let announced = false;
  for await (const event of stream) {
    if (!announced) process.stdout.write(`STARTED ${stream.runId}\n`);
    announced = true;
    if (event.type !== "text_delta") process.stdout.write(`EVENT ${event.type}\n`);
  }
  process.stdout.write(`FINISHED ${stream.runId} ${stream.result?.status ?? "none"}\n`);
}

const runs: Promise<void>[] = [];
for (let i = 0; i < Number(quotaText); i++) {
  runs.push(one());
  await sleep(random.int(2, 25));
}
await Promise.all(runs);
await agent.close();
process.stdout.write("ALLDONE\n");
