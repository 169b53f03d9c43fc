import { PersistenceNotConfiguredError } from "../errors/persistence-not-configured-error.js";
import type { Persistence } from "../runtime/persistence.js";

/** Opens the SQL persistence for a database URL. */
export async function openPersistence(_url: string): Promise<Persistence> {
  throw new PersistenceNotConfiguredError();
}
