import type { Message } from "../types/message.js";
import type { LoopContext } from "./loop.js";

/** Appends to the conversation and tells the recorder and notifier. */
export function appendMessage(ctx: LoopContext, message: Message, iteration: number): Promise<void> {
  ctx.state.history.push(message);
  return ctx.hooks.messageAppended(ctx.runId, message, iteration);
}
