import { ChatMessage } from "./chat-message.js";
import { ContextBlock } from "./context-block.js";
import { ValidationError } from "../errors/validation-error.js";
import type { Message } from "../types/message.js";

const STABLE_LABEL = "STABLE CONTEXT:";
const STABLE_INPUT_LABEL = "USER MESSAGE:";
const DYNAMIC_LABEL = "ADDITIONAL CONTEXT:";
const DYNAMIC_INPUT_LABEL = "USER INPUT:";

/** Checks chat history before anything is written: user first, assistant last, alternating, no empty turns. */
export function validateHistory(history: readonly ChatMessage[] | undefined): void {
  if (!history || history.length === 0) return;
  if (!Array.isArray(history)) throw new ValidationError({ field: "history", message: "history must be an array of ChatMessage" });
  history.forEach((m, i) => {
    if (!(m instanceof ChatMessage) && !(m && (m.role === "user" || m.role === "assistant") && typeof m.content === "string")) {
      throw new ValidationError({ field: `history[${i}]`, message: `history[${i}] must be a ChatMessage (ChatMessage.user / ChatMessage.assistant)` });
    }
  });
  if (history[0]!.role !== "user") {
    throw new ValidationError({ field: "history", message: "history must start with a user message, not an assistant message" });
  }
  if (history[history.length - 1]!.role !== "assistant") {
    throw new ValidationError({ field: "history", message: "history ends with a user message; pass it as userInput instead" });
  }
  history.forEach((m, i) => {
    if (m.content.length === 0) {
      throw new ValidationError({ field: `history[${i}]`, message: `history message at index ${i} has empty content` });
    }
    if (i > 0 && history[i - 1]!.role === m.role) {
      throw new ValidationError({ field: `history[${i}]`, message: `history contains consecutive ${m.role} messages at index ${i}` });
    }
  });
}

export function validateContext(context: readonly ContextBlock[] | undefined): void {
  if (context === undefined || context === null) return;
  if (!Array.isArray(context)) throw new ValidationError({ field: "context", message: "context must be an array of ContextBlock" });
  context.forEach((block, i) => {
    if (!(block instanceof ContextBlock)) {
      throw new ValidationError({ field: `context[${i}]`, message: `context[${i}] must be a ContextBlock` });
    }
    if (block.content.length === 0) {
      throw new ValidationError({ field: `context[${i}]`, message: `context[${i}] has empty content` });
    }
    if (block.placement !== "stable" && block.placement !== "dynamic") {
      throw new ValidationError({
        field: `context[${i}]`,
        message: `context[${i}] placement must be "stable" or "dynamic", got ${JSON.stringify(block.placement)}`,
      });
    }
  });
}

function band(context: readonly ContextBlock[], placement: "stable" | "dynamic"): string {
  return context
    .filter((b) => b.placement === placement)
    .map((b) => b.content)
    .join("\n\n");
}

/**
 * The conversation a fresh run starts from: history turns, then the new input,
 * with context folded into message content (never into the system prompt, so
 * the list stays strictly alternating). Without history and context this is
 * exactly `[user(userInput)]`.
 */
export function foldContext(
  userInput: string,
  history: readonly ChatMessage[] | undefined,
  context: readonly ContextBlock[] | undefined,
): Message[] {
  const turns: Message[] = (history ?? []).map((m) => ({ role: m.role, content: m.content }));
  const blocks = context ?? [];
  const stable = band(blocks, "stable");
  const dynamic = band(blocks, "dynamic");
  const wrapDynamic = (text: string) => (dynamic ? `${DYNAMIC_LABEL}\n${dynamic}\n\n${DYNAMIC_INPUT_LABEL}\n${text}` : text);
  const wrapStable = (text: string) => (stable ? `${STABLE_LABEL}\n${stable}\n\n${STABLE_INPUT_LABEL}\n${text}` : text);

  if (turns.length === 0) {
    const content = wrapStable(wrapDynamic(userInput));
    return [{ role: "user", content, ...(stable ? { placement: "stable" as const } : {}) }];
  }
  if (stable) turns[0] = { ...turns[0]!, content: wrapStable(turns[0]!.content), placement: "stable" };
  return [...turns, { role: "user", content: wrapDynamic(userInput) }];
}
