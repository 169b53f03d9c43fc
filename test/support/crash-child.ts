/**
 * Runs an agent whose second tool call never returns, announces the run id
 * once the first tool call is recorded, and waits to be killed.
 */
import { z } from "zod";
import { Agent, tool } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";

const databaseUrl = process.argv[2]!;
let announce: (() => void) | null = null;
const step = tool({ name: "step", description: "", parameters: z.object({}), execute: () => "ok" });
const hang = tool({
  name: "hang",
  description: "",
  parameters: z.object({}),
  execute: () => {
    announce?.();
    return new Promise(() => undefined);
  },
});
const agent = new Agent({
  name: "Crashy",
  provider: new MockLLM([{ toolCalls: [{ name: "step" }] }, { toolCalls: [{ name: "hang" }] }]),
  prompt: "p",
  tools: [step, hang],
  databaseUrl,
});
const stream = agent.stream("go");
announce = () => process.stdout.write(`READY ${stream.runId}\n`);
for await (const _event of stream) {
  // keep pulling until the hanging tool blocks forever
}
