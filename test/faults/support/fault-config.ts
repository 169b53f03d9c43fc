/**
 * Seed and scale of the fault suite. `DENDRUX_FAULT_SEED` replays a run (every
 * test prints its seed in its title); `DENDRUX_FAULT_SCALE` multiplies the counts
 * (default 1, the CI size).
 */
const rawSeed = process.env.DENDRUX_FAULT_SEED;
export const FAULT_SEED: number = rawSeed !== undefined && rawSeed !== "" ? Number.parseInt(rawSeed, 10) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
export const FAULT_SCALE: number = Math.max(1, Number.parseInt(process.env.DENDRUX_FAULT_SCALE ?? "1", 10) || 1);

/** A small seeded PRNG (mulberry32): the same seed gives the same schedule. */
export function prng(seed: number): { next(): number; int(min: number, max: number): number; pick<T>(items: readonly T[]): T } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/** Prints a line a failing run can be replayed from. */
export function replayHint(test: string): string {
  return `${test}: replay with DENDRUX_FAULT_SEED=${FAULT_SEED} DENDRUX_FAULT_SCALE=${FAULT_SCALE}`;
}
