/**
 * `start`: runs an agent whose model asks the human a question and prints the paused result.
 * `answer RUN_ID TEXT`: answers it from this (another) process and prints the final result.
 */
import { Agent, askHuman } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";

const [databaseUrl, command, runId, text] = process.argv.slice(2);
const agent = new Agent({
  name: "Asker",
  // Each process gets the model turn it will see: the question, or the reply to the answer.
  provider: new MockLLM(
    command === "start"
      ? [{ toolCalls: [{ name: "ask_human", params: { question: "Which order?" } }] }]
      : [(request) => `You said ${JSON.parse(request.messages.at(-1)!.content) as string}.`],
  ),
  prompt: "p",
  tools: [askHuman()],
  databaseUrl: databaseUrl!,
});
const result = command === "start" ? await agent.run("refund my order") : await agent.submitInput(runId!, text!);
await agent.close();
process.stdout.write(`${JSON.stringify({ runId: result.runId, status: result.status, answer: result.answer })}\n`);
