import { ulid } from "ulid";

/** A new 26-character Crockford ULID, the id format of runs, rows and tool calls. */
export function newId(): string {
  return ulid();
}
