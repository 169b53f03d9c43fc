import { type Expression, type Kysely, type SqlBool, sql } from "kysely";
import { ValidationError } from "../errors/validation-error.js";
import type { Database } from "./schema.js";

/** A keyset cursor: the condition a page adds, and the check that tells an empty page from a cursor that names no run. */
export interface OlderThan {
  readonly predicate: Expression<SqlBool>;
  /** Resolves when run `before` exists within `where`; else throws the cursor's `ValidationError`. */
  verify(): Promise<void>;
}

/**
 * Keyset pagination in the newest-first order `(created_at DESC, id DESC)`:
 * the runs that come after run `before` (strictly older, or as old with a
 * smaller id, so runs with equal `created_at` are neither skipped nor
 * repeated). The anchor's `created_at` is read inside the page's own
 * statement, so a page costs one statement; both engines answer the row-value
 * comparison as a range of an index ending in `(created_at, id)`. A cursor
 * that names no run matching `where` matches nothing: a caller whose page
 * comes back empty calls `verify()` to turn that into `ValidationError`
 * (field `before`) with `message`.
 * @throws ValidationError at once when `before` is not a possible run id.
 */
export function olderThan(db: Kysely<Database>, before: string, where: readonly Expression<SqlBool>[], message: string): OlderThan {
  if (typeof before !== "string" || before.length === 0 || before.includes("\u0000")) throw new ValidationError({ field: "before", message });
  let anchor = db.selectFrom("agent_runs").where("id", "=", before);
  for (const w of where) anchor = anchor.where(w);
  return {
    predicate: sql<SqlBool>`((created_at, id) < ((${anchor.select("created_at")}), ${before}))`,
    async verify() {
      if (!(await anchor.select("id").executeTakeFirst())) throw new ValidationError({ field: "before", message });
    },
  };
}
