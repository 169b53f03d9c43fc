import { randomFillSync } from "node:crypto";
import { ulid } from "ulid";

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

/** A new 26-character Crockford ULID, the id format of runs, rows and tool calls. */
export function newId(): string {
  return ulid(undefined, pooledRandom);
}
