/**
 * What every Node workload process shares: the shape of the workload, how one
 * process sample is timed, and how it reports back to run.mjs (one JSON line).
 */

/** Model turns per run: the first TOOL_TURNS call the `add` tool once each, the last one answers. */
export const ITERATIONS = 5;
export const TOOL_TURNS = ITERATIONS - 1;

/** The spec run.mjs passes as the only argument: { backend, url, warmup, runs, ...implementation options }. */
export function readSpec() {
  const raw = process.argv[2];
  if (!raw) throw new Error("usage: node <workload>.mjs '<json spec>' (run.mjs starts these processes)");
  return JSON.parse(raw);
}

/**
 * Times `once` (one whole run) after untimed warm-up runs (`spec.warmup` runs and `spec.warmupMs` ms, whichever is more): `spec.runs` times, or
 * fewer once `spec.budgetMs` of timed runs have passed (never fewer than `spec.minRuns`).
 * `prepare` builds what a run needs (a fresh script) outside the timed part.
 */
export async function timeRuns(spec, prepare, once) {
  // At least `warmup` runs and `warmupMs` of them: a JIT (V8) reaches its steady state only after many runs.
  const warmUntil = performance.now() + (spec.warmupMs ?? 0);
  for (let i = 0; i < spec.warmup || performance.now() < warmUntil; i++) await once(prepare());
  const samples = [];
  let spent = 0;
  while (samples.length < spec.runs && (spec.budgetMs == null || spent < spec.budgetMs || samples.length < spec.minRuns)) {
    const input = prepare();
    const t0 = performance.now();
    await once(input);
    const ms = performance.now() - t0;
    samples.push(ms);
    spent += ms;
  }
  return samples;
}

export function report(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
