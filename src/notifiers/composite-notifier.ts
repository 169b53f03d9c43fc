import type { Notifier, NotifierHook } from "../types/notifier.js";

import { logger } from "../util/logger.js";

type AnyHook = (...args: unknown[]) => unknown;

/**
 * Fans each hook out to several notifiers, in order, one at a time. A child
 * that throws is logged and skipped; the others still run.
 */
export class CompositeNotifier implements Required<Notifier> {
  readonly #children: readonly Notifier[];

  constructor(notifiers: readonly Notifier[]) {
    this.#children = [...notifiers];
  }

  async #fan(hook: NotifierHook, args: unknown[]): Promise<void> {
    for (const child of this.#children) {
      const fn = child[hook] as AnyHook | undefined;
      if (!fn) continue;
      try {
        await fn.apply(child, args);
      } catch (error) {
        logger.warn(`CompositeNotifier: ${hook} failed`, error);
      }
    }
  }

  onRunStarted(...args: Parameters<Required<Notifier>["onRunStarted"]>) {
    return this.#fan("onRunStarted", args);
  }
  onRunFinished(...args: Parameters<Required<Notifier>["onRunFinished"]>) {
    return this.#fan("onRunFinished", args);
  }
  onRunFailed(...args: Parameters<Required<Notifier>["onRunFailed"]>) {
    return this.#fan("onRunFailed", args);
  }
  onMessageAppended(...args: Parameters<Required<Notifier>["onMessageAppended"]>) {
    return this.#fan("onMessageAppended", args);
  }
  onLlmCallStarted(...args: Parameters<Required<Notifier>["onLlmCallStarted"]>) {
    return this.#fan("onLlmCallStarted", args);
  }
  onLlmCallCompleted(...args: Parameters<Required<Notifier>["onLlmCallCompleted"]>) {
    return this.#fan("onLlmCallCompleted", args);
  }
  onLlmCallFailed(...args: Parameters<Required<Notifier>["onLlmCallFailed"]>) {
    return this.#fan("onLlmCallFailed", args);
  }
  onToolStarted(...args: Parameters<Required<Notifier>["onToolStarted"]>) {
    return this.#fan("onToolStarted", args);
  }
  onToolCompleted(...args: Parameters<Required<Notifier>["onToolCompleted"]>) {
    return this.#fan("onToolCompleted", args);
  }
  onGovernanceEvent(...args: Parameters<Required<Notifier>["onGovernanceEvent"]>) {
    return this.#fan("onGovernanceEvent", args);
  }
}

