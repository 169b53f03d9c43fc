import { ValidationError } from "../errors/validation-error.js";
import type { LLMResponse } from "../types/llm-response.js";

const COUNTS = ["inputTokens", "outputTokens", "totalTokens"] as const;
const OPTIONAL_COUNTS = ["cacheReadInputTokens", "cacheCreationInputTokens", "reasoningTokens"] as const;

/**
 * Checks the usage a provider reported before anything sums or stores it:
 * token counts are non-negative integers (the optional ones may be `null`),
 * the cost a non-negative finite number or `null`. A provider that answers
 * otherwise fails the call with a `ValidationError` naming the field.
 */
export function checkUsage(response: LLMResponse, provider: string): LLMResponse {
  const usage = response?.usage as unknown as Record<string, unknown> | undefined;
  if (!usage || typeof usage !== "object") {
    throw new ValidationError({ field: "usage", message: `Provider ${provider} returned a response without a usage object.` });
  }
  const bad = (field: string, expected: string) =>
    new ValidationError({ field: `usage.${field}`, message: `Provider ${provider} returned usage.${field} = ${describe(usage[field])}; expected ${expected}.` });
  for (const field of COUNTS) if (!isCount(usage[field])) throw bad(field, "a non-negative integer");
  for (const field of OPTIONAL_COUNTS) if (usage[field] !== null && usage[field] !== undefined && !isCount(usage[field])) throw bad(field, "a non-negative integer or null");
  const cost = usage.costUsd;
  if (cost !== null && cost !== undefined && !(typeof cost === "number" && Number.isFinite(cost) && cost >= 0)) throw bad("costUsd", "a non-negative number or null");
  return response;
}

const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;

function describe(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return `${text.length > 60 ? `${text.slice(0, 60)}…` : text} (${typeof value})`;
}
