import { createHash } from "node:crypto";
import type { ChatMessage } from "./chat-message.js";
import type { ContextBlock } from "./context-block.js";
import { pythonJsonDumps } from "../util/python-json.js";

export interface FingerprintInput {
  readonly agentName: string;
  readonly userInput: string;
  readonly outputTypeName: string | null;
  readonly history: readonly ChatMessage[] | undefined;
  readonly context: readonly ContextBlock[] | undefined;
}

/**
 * Request identity for idempotency keys: SHA-256 of the request serialised the
 * way the reference does, so both implementations agree on "same request".
 */
export function computeFingerprint(input: FingerprintInput): string {
  const data: Record<string, unknown> = { agent_name: input.agentName, user_input: input.userInput };
  if (input.outputTypeName) data.output_type = input.outputTypeName;
  if (input.history && input.history.length > 0) data.history = input.history.map((m) => ({ role: m.role, content: m.content }));
  if (input.context && input.context.length > 0) {
    data.context = input.context.map((b) => ({ kind: b.kind, placement: b.placement, source: b.source, content: b.content }));
  }
  return createHash("sha256").update(pythonJsonDumps(data, { sortKeys: true }), "utf8").digest("hex");
}
