/**
 * What every example shares: whether to call a real model, where runs are
 * stored, and the offline stand-in for a model.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import type { LLMRequest, Message } from "dendrux";
import { MockLLM, type MockResponse } from "dendrux/llm/mock";

export type KeyVariable = "ANTHROPIC_API_KEY" | "OPENAI_API_KEY" | "OPENROUTER_API_KEY";

/** True when an example should call the real API: its key is set and `DENDRUX_OFFLINE` is not. */
export function online(key: KeyVariable): boolean {
  return Boolean(process.env[key]) && !process.env.DENDRUX_OFFLINE;
}

/**
 * Where the examples keep their runs: `DENDRUX_DATABASE_URL`, else
 * `~/.dendrux/dendrux.db` — the CLI's default, so `npx dendrux runs` lists them.
 */
export const DATABASE_URL = process.env.DENDRUX_DATABASE_URL ?? `sqlite:///${join(homedir(), ".dendrux", "dendrux.db")}`;

/** One answer of the offline model: fixed, or computed from the request. */
export type ModelStep = MockResponse | string | ((request: LLMRequest) => MockResponse | string);

/** The messages of the current turn: everything after the last user message. */
function currentTurn(request: LLMRequest): readonly Message[] {
  return request.messages.slice(request.messages.findLastIndex((m) => m.role === "user") + 1);
}

/** The user's latest message (with any folded context). */
export function lastUserText(request: LLMRequest): string {
  return request.messages.findLast((m) => m.role === "user")?.content ?? "";
}

/** A tool result as the model reads it: JSON-encoded strings decoded, anything else as sent. */
function readable(payload: string): string {
  try {
    const value: unknown = JSON.parse(payload);
    return typeof value === "string" ? value : payload;
  } catch {
    return payload;
  }
}

/** The tool results the model has seen in the current turn, by tool name (the latest wins). */
export function toolResults(request: LLMRequest): Record<string, string> {
  return Object.fromEntries(currentTurn(request).filter((m) => m.role === "tool").map((m) => [m.name ?? "", readable(m.content)]));
}

/**
 * An offline stand-in for a model. The n-th call of a turn gets `steps[n]`
 * (past the end, the last step). The position is counted from the
 * conversation, so a run resumed in another process continues where it paused.
 */
export function scriptedModel(steps: readonly ModelStep[], options: { model?: string } = {}): MockLLM {
  const answer = (request: LLMRequest) => {
    const calls = currentTurn(request).filter((m) => m.role === "assistant").length;
    const step = steps[Math.min(calls, steps.length - 1)]!;
    return typeof step === "function" ? step(request) : step;
  };
  return new MockLLM(Array.from({ length: 1_000 }, () => answer), { model: options.model ?? "offline-mock" });
}
