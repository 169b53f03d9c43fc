import { ValidationError } from "../errors/validation-error.js";

/**
 * A named regular expression; the name is the entity type. Python-style
 * leading inline flags such as `(?i)` are accepted (translated to JS flags).
 */
export class Pattern {
  readonly name: string;
  readonly regex: string;
  /** @internal — compiled once, global so every match is found. */
  readonly compiled: RegExp;

  constructor(name: string, regex: string | RegExp) {
    if (typeof name !== "string" || name.length === 0) throw new ValidationError({ field: "name", message: "Pattern name must be a non-empty string." });
    let source = typeof regex === "string" ? regex : regex.source;
    let flags = typeof regex === "string" ? "" : regex.flags.replace("g", "");
    const inline = /^\(\?([imsu]+)\)/.exec(source);
    if (inline) {
      source = source.slice(inline[0].length);
      flags += inline[1]!.replace("u", "");
    }
    try {
      this.compiled = new RegExp(source, `${[...new Set(flags)].join("")}g`);
    } catch (error) {
      throw new ValidationError({ field: "regex", message: `Pattern '${name}' has an invalid regex: ${(error as Error).message}` });
    }
    this.name = name;
    this.regex = typeof regex === "string" ? regex : regex.source;
    Object.freeze(this);
  }
}
