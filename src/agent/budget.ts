import { ValidationError } from "../errors/validation-error.js";

export interface BudgetOptions {
  /** Token allowance for one run (fresh input + output tokens). */
  readonly maxTokens: number;
  /** Fractions of `maxTokens` that emit `budget.threshold` once each. @default [0.5, 0.75, 0.9] */
  readonly warnAt?: readonly number[];
}

/**
 * An advisory token budget: crossing a threshold emits a governance event;
 * the run is never stopped by it.
 */
export class Budget {
  readonly maxTokens: number;
  readonly warnAt: readonly number[];

  constructor({ maxTokens, warnAt = [0.5, 0.75, 0.9] }: BudgetOptions) {
    if (typeof maxTokens !== "number" || !(maxTokens > 0)) {
      throw new ValidationError({ field: "maxTokens", message: `Budget maxTokens must be > 0, got ${String(maxTokens)}.` });
    }
    for (const f of warnAt) {
      if (typeof f !== "number" || !(f > 0 && f < 1)) {
        throw new ValidationError({ field: "warnAt", message: `Budget warnAt fractions must be in (0, 1) exclusive, got ${String(f)}.` });
      }
    }
    this.maxTokens = maxTokens;
    this.warnAt = Object.freeze([...warnAt]);
    Object.freeze(this);
  }
}
