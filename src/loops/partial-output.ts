import { Allow, parse } from "partial-json";
import { restoreOptionalFields } from "../llm/shared/output-schema.js";
import type { LLMResponse } from "../types/llm-response.js";
import type { RunEvent } from "../types/run-event.js";

// Partial strings, arrays and objects only: a cut number ("1" of "12") or
// literal ("tru") would show a value the model never wrote.
const PARTIAL = Allow.STR | Allow.OBJ | Allow.ARR;

function parsePartial(text: string): unknown {
  try {
    return parse(text, PARTIAL);
  } catch {
    return undefined;
  }
}

/**
 * Turns the JSON text a structured-output call streams into `partial_output`
 * events: each time the text parsed so far yields a different value, that
 * value (optional fields' `null` read as absent). Other events pass through.
 */
export async function* streamPartialOutputs(
  source: AsyncGenerator<RunEvent, LLMResponse>,
  schema: Record<string, unknown>,
  runId: string,
): AsyncGenerator<RunEvent, LLMResponse> {
  let text = "";
  let last: string | null = null;
  try {
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
      const output = restoreOptionalFields(schema, value);
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
