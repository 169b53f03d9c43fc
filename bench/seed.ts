/**
 * Seeds (once) the databases the read benchmarks use:
 *
 *   BENCH_DATA_DIR=/path npx tsx bench/seed.ts sqlite|postgres <runs>
 */
import { benchDatabase, seedRuns } from "./seed-runs.js";

const [kind, runs] = process.argv.slice(2);
if ((kind !== "sqlite" && kind !== "postgres") || !Number.isSafeInteger(Number(runs))) {
  console.error("usage: tsx bench/seed.ts sqlite|postgres <runs>");
  process.exit(2);
}
const url = await benchDatabase(kind, Number(runs), process.env.BENCH_DATA_DIR ?? ".", process.env.DENDRUX_TEST_POSTGRES_URL);
const t0 = performance.now();
await seedRuns(url, Number(runs), { threads: 1000, log: (line) => console.log(line) });
console.log(`${url}: ${Number(runs).toLocaleString("en-US")} runs ready (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
