import type { Message } from "../types/message.js";
import type { LoopContext } from "./loop.js";

/** Appends to the conversation and tells the recorder and notifier. */
export async function appendMessage(ctx: LoopContext, message: Message, iteration: number): Promise<void> {
  ctx.state.history.push(message);
  await ctx.hooks.messageAppended(ctx.runId, message, iteration);
}
