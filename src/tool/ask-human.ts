import { z } from "zod";
import { type Tool, tool } from "./tool.js";

const AskHumanParameters = z.object({
  question: z.string().min(1).describe("The question to ask, complete and self-contained."),
  options: z.array(z.string()).optional().describe("Answers to offer, when the choice is closed."),
});

export interface AskHumanOptions {
  /** @default "ask_human" */
  readonly name?: string;
  /** What the model reads about when to ask. */
  readonly description?: string;
}

/**
 * A tool the model calls to ask a person a question. The run pauses
 * `waiting_human_input` with the question as `RunResult.answer` (and the call
 * in `pendingToolCalls`); `agent.submitInput(runId, text)` resumes it, from any
 * process, with the text as the call's result.
 *
 * @example
 * const agent = new Agent({ provider, prompt, tools: [askHuman()], databaseUrl });
 * const paused = await agent.run("Refund my order");   // status "waiting_human_input", answer "Which order?"
 * await agent.submitInput(paused.runId, "Order 1042");
 */
export function askHuman(options: AskHumanOptions = {}): Tool<typeof AskHumanParameters, never> {
  return tool({
    name: options.name ?? "ask_human",
    description:
      options.description ??
      "Ask the user a question when you cannot go on without their answer (a missing detail, a choice only they can make). The run waits for the reply.",
    parameters: AskHumanParameters,
    target: "human",
  });
}

/** The question a human-target call shows: its `question` argument, else its arguments as JSON. */
export function questionOf(params: Readonly<Record<string, unknown>>): string {
  return typeof params.question === "string" ? params.question : JSON.stringify(params);
}
