import { randomFillSync } from "node:crypto";
import { monotonicFactory, ulid } from "ulid";

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

/** A new 26-character Crockford ULID with 80 random bits: the id of a run or a tool call, which callers hold and pass back. */
export function newId(): string {
  return ulid(undefined, pooledRandom);
}

// Monotonic: ids made within one millisecond still sort in the order they
// were made, so audit rows read back `ORDER BY created_at, id` in the order
// they were written. Within a millisecond each id is the one before plus one,
// so it is kept for rows nobody holds as a handle.
const monotonicUlid = monotonicFactory(pooledRandom);

/** A new ULID for an audit row (event, trace, model call, tool call, token usage); within a process each sorts after the one before. */
export function newRowId(): string {
  return monotonicUlid();
}
