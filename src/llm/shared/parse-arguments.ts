import { ProviderError } from "../../errors/provider-error.js";
import { logger } from "../../util/logger.js";

/** Streamed tool arguments: malformed JSON becomes `{}` with a warning (the reference's lossy parse). */
export function parseArgumentsLossy(raw: unknown, where: { provider: string; model: string; tool: string; callId: string | null }): Record<string, unknown> {
  if (raw && typeof raw === "object" && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw !== "string" || raw === "") return {};
  try {
    const value = JSON.parse(raw);
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    logger.warn(`Malformed tool call JSON in stream — provider=${where.provider} model=${where.model} tool=${where.tool} call_id=${where.callId} raw_len=${raw.length}`);
    return {};
  }
}

/** Batch tool arguments: malformed JSON is an error naming the call. */
export function parseArgumentsStrict(raw: unknown, name: string, callId: string): Record<string, unknown> {
  if (raw && typeof raw === "object" && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw !== "string" || raw === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ProviderError(`Tool call '${name}' (id=${callId}) returned invalid JSON arguments: ${JSON.stringify(raw)}`);
  }
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** "extra" → "xhigh"; everything else passes through. */
export function normaliseEffort(effort: string | undefined | null): string | undefined {
  if (!effort) return undefined;
  return effort === "extra" ? "xhigh" : effort;
}
