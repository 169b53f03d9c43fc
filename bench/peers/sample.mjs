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
 * Times `once` (one whole run) after `spec.warmup` untimed runs: `spec.runs` times, or
 * fewer once `spec.budgetMs` of timed runs have passed (never fewer than `spec.minRuns`).
 * `prepare` builds what a run needs (a fresh script) outside the timed part.
 */
export async function timeRuns(spec, prepare, once) {
  for (let i = 0; i < spec.warmup; i++) await once(prepare());
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
