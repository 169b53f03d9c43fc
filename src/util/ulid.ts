import { randomFillSync } from "node:crypto";
import { monotonicFactory } from "ulid";

// Cryptographic randomness drawn in blocks: the library's default asks the
// system for every one of an id's 16 random characters, which dominated the
// cost of a run in memory.
const pool = new Uint8Array(4096);
let next = pool.length;

/** A uniform fraction in [0, 1) from the pool, in 1/256 steps: exactly what one Crockford character (32 values) needs. */
function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]! / 256;
}

// Monotonic: ids made within one millisecond still sort in the order they
// were made, so rows read back `ORDER BY created_at, id` in the order they
// were written, never shuffled by the random part.
const monotonicUlid = monotonicFactory(pooledRandom);

/** A new 26-character Crockford ULID, the id format of runs, rows and tool calls; within a process each sorts after the one before. */
export function newId(): string {
  return monotonicUlid();
}
