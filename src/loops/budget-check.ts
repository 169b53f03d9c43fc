import type { LoopContext } from "./loop.js";

/**
 * Emits `budget.threshold` / `budget.exceeded` for thresholds crossed by the
 * run's total tokens. Each fires once per run, pauses included, because the
 * fired list lives in the run state.
 */
export function checkBudget(ctx: LoopContext, iteration: number): Promise<void> | undefined {
  // No budget, nothing to await: the common case costs no promise.
  return ctx.agent.budget ? fireThresholds(ctx, iteration, ctx.agent.budget) : undefined;
}

async function fireThresholds(ctx: LoopContext, iteration: number, budget: NonNullable<LoopContext["agent"]["budget"]>): Promise<void> {
  const { state } = ctx;
  const used = state.usage.totalTokens;
  const max = budget.maxTokens;
  for (const fraction of budget.warnAt) {
    const key = String(fraction);
    if (used / max >= fraction && !state.budgetFired.includes(key)) {
      state.budgetFired.push(key);
      await ctx.hooks.governance(ctx.runId, "budget.threshold", iteration, { fraction, used, max, reason: "threshold_crossed" });
    }
  }
  if (used >= max && !state.budgetFired.includes("exceeded")) {
    state.budgetFired.push("exceeded");
    await ctx.hooks.governance(ctx.runId, "budget.exceeded", iteration, { used, max, reason: "budget_exceeded" });
  }
}
