import { DendruxError } from "./dendrux-error.js";

/** The operation needs a database and the agent has none. */
export class PersistenceNotConfiguredError extends DendruxError {
  override readonly name = "PersistenceNotConfiguredError";

  constructor() {
    super(
      "This operation requires persistence. Pass databaseUrl or store to the Agent constructor " +
        "or set DENDRUX_DATABASE_URL.",
    );
  }
}
