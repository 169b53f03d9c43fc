import { type Expression, type Kysely, type SqlBool, sql } from "kysely";
import { ValidationError } from "../errors/validation-error.js";
import type { Database } from "./schema.js";

/**
 * Keyset pagination in the newest-first order `(created_at DESC, id DESC)`:
 * the runs that come after run `before` (strictly older, or as old with a
 * smaller id, so runs with equal `created_at` are neither skipped nor
 * repeated). `before` must be a run that `where` matches, else
 * `ValidationError` (field `before`) with `message`. One row-value
 * comparison, which both engines answer as a range of an index ending in
 * `(created_at, id)`.
 */
export async function olderThan(db: Kysely<Database>, before: string, where: readonly Expression<SqlBool>[], message: string): Promise<Expression<SqlBool>> {
  if (typeof before !== "string" || before.length === 0 || before.includes("\u0000")) throw new ValidationError({ field: "before", message });
  let query = db.selectFrom("agent_runs").select(["id", "created_at"]).where("id", "=", before);
  for (const w of where) query = query.where(w);
  const anchor = await query.executeTakeFirst();
  if (!anchor) throw new ValidationError({ field: "before", message });
  return sql<SqlBool>`((created_at, id) < (${anchor.created_at}, ${anchor.id}))`;
}
