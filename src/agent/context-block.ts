import type { Placement } from "../types/message.js";

export interface ContextBlockOptions {
  /** Free-form label, used only for request identity (idempotency). @default "context" */
  readonly kind?: string;
  readonly source?: string | null;
  /** `"stable"` content forms a cache-friendly prefix. @default "dynamic" */
  readonly placement?: Placement;
}

/** Extra text for one turn (retrieved documents, user profile…), folded into the user message. */
export class ContextBlock {
  readonly content: string;
  readonly kind: string;
  readonly source: string | null;
  readonly placement: Placement;

  constructor(content: string, options: ContextBlockOptions = {}) {
    this.content = content;
    this.kind = options.kind ?? "context";
    this.source = options.source ?? null;
    this.placement = options.placement ?? "dynamic";
    Object.freeze(this);
  }
}
