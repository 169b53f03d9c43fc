import { DendruxError } from "./dendrux-error.js";

/** A SQLite database opened read-only does not exist; nothing was created. */
export class DatabaseNotFoundError extends DendruxError {
  override readonly name = "DatabaseNotFoundError";
  /** The absolute path that was looked for. */
  readonly path: string;

  constructor({ path }: { path: string }) {
    super(`No database at ${path}. Check the path (or DENDRUX_DATABASE_URL / --db); read-only commands never create one.`);
    this.path = path;
  }
}
