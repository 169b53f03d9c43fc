import type { LoopGuard } from "./ports.js";

/** A placeholder longer than this is not a placeholder: stop holding text back for it. */
const MAX_PLACEHOLDER_LENGTH = 64;

/**
 * Streamed text for the caller, with real values where the model wrote
 * placeholders. A placeholder split across deltas (`<<EMAIL_AD` + `DRESS_1>>`)
 * is held back until it is complete, so the caller never sees half of one.
 */
export class PlaceholderStream {
  readonly #guard: LoopGuard;
  #held = "";

  constructor(guard: LoopGuard) {
    this.#guard = guard;
  }

  /** Takes a delta; returns what can be shown now (possibly empty). */
  push(delta: string): string {
    const text = this.#held + delta;
    let cut = text.length;
    const open = text.lastIndexOf("<<");
    if (open !== -1 && !text.includes(">>", open) && text.length - open <= MAX_PLACEHOLDER_LENGTH) cut = open;
    else if (text.endsWith("<")) cut = text.length - 1;
    this.#held = text.slice(cut);
    return this.#guard.deanonymize(text.slice(0, cut));
  }

  /** The rest, at the end of the response. */
  flush(): string {
    const rest = this.#held;
    this.#held = "";
    return this.#guard.deanonymize(rest);
  }
}
