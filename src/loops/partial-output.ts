import { restoreOptionalFields } from "../llm/shared/output-schema.js";
import type { LLMResponse } from "../types/llm-response.js";
import type { RunEvent } from "../types/run-event.js";

type PartialParser = (text: string) => unknown;

/** Loaded on first use, so importing `dendrux` stays light. */
async function partialParser(): Promise<PartialParser> {
  const { Allow, parse } = await import("partial-json");
  // Partial strings, arrays and objects only: a cut number ("1" of "12") or
  // literal ("tru") would show a value the model never wrote.
  const allowed = Allow.STR | Allow.OBJ | Allow.ARR;
  return (text) => {
    try {
      return parse(text, allowed);
    } catch {
      return undefined;
    }
  };
}

/**
 * Turns the JSON text a structured-output call streams into `partial_output`
 * events: each time the text parsed so far yields a different value, that
 * value (optional fields' `null` read as absent; `restore` gives placeholders
 * their real values under guardrails). Other events pass through.
 */
export async function* streamPartialOutputs(
  source: AsyncGenerator<RunEvent, LLMResponse>,
  schema: Record<string, unknown>,
  runId: string,
  restore: (value: unknown) => unknown = (value) => value,
): AsyncGenerator<RunEvent, LLMResponse> {
  let text = "";
  let last: string | null = null;
  try {
    const parsePartial = await partialParser();
    while (true) {
      const next = await source.next();
      if (next.done) return next.value;
      const event = next.value;
      if (event.type !== "text_delta") {
        yield event;
        continue;
      }
      text += event.text;
      const value = parsePartial(text);
      if (value === undefined) continue;
      const output = restore(restoreOptionalFields(schema, value));
      const key = JSON.stringify(output);
      if (key === last) continue;
      last = key;
      yield { type: "partial_output", runId, output };
    }
  } finally {
    // A consumer that stops early closes the provider's stream too.
    await source.return(undefined as never);
  }
}
