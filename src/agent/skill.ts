import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, resolve } from "node:path";
import { ValidationError } from "../errors/validation-error.js";

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function fail(field: string, message: string): never {
  throw new ValidationError({ field, message });
}

function parseYaml(text: string): unknown {
  // Loaded on first use, so importing dendrux does not load a YAML parser.
  const { parse } = createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return parse(text);
}

function checkName(name: string, directory: string): void {
  if (!name) fail("name", "Skill name cannot be empty.");
  if (name.length > 64) fail("name", `Skill name '${name}' exceeds 64 characters (got ${name.length}).`);
  if (!NAME.test(name)) {
    fail("name", `Skill name '${name}' is invalid. Must contain only lowercase letters, numbers, and hyphens. Cannot start or end with a hyphen.`);
  }
  if (name.includes("--")) fail("name", `Skill name '${name}' contains consecutive hyphens, which is not allowed.`);
  if (name !== directory) fail("name", `Skill name '${name}' does not match directory name '${directory}'. The name field must match the parent directory name.`);
}

/**
 * A skill: a directory holding `SKILL.md` (YAML frontmatter with `name` and
 * `description`, then Markdown instructions), in the agentskills.io layout.
 * The model sees the catalogue and asks for a skill's instructions with the
 * `use_skill` tool.
 */
export class Skill {
  readonly name: string;
  readonly description: string;
  readonly body: string;
  readonly path: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly license: string | null;
  readonly compatibility: string | null;

  private constructor(fields: Omit<Skill, never>) {
    this.name = fields.name;
    this.description = fields.description;
    this.body = fields.body;
    this.path = fields.path;
    this.metadata = Object.freeze({ ...fields.metadata });
    this.license = fields.license;
    this.compatibility = fields.compatibility;
    Object.freeze(this);
  }

  /** Loads `<directory>/SKILL.md`; every problem is an error naming the file and the rule. */
  static fromDir(directory: string): Skill {
    const dir = resolve(directory);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ValidationError({ field: "path", message: `Skill directory not found: ${dir}` });
    const file = join(dir, "SKILL.md");
    if (!existsSync(file)) throw new ValidationError({ field: "path", message: `SKILL.md not found in ${dir}. A valid skill directory must contain a SKILL.md file.` });
    const where = (message: string): never => fail("SKILL.md", `${file}: ${message}`);
    const lines = readFileSync(file, "utf8").split(/\r?\n/);
    if (lines[0]?.trim() !== "---") where("SKILL.md must start with YAML frontmatter (--- delimiter). See agentskills.io/specification for the required format.");
    const close = lines.findIndex((line, i) => i > 0 && line.trim() === "---");
    if (close < 0) where("SKILL.md has opening --- but no closing --- for frontmatter.");
    let front: unknown;
    try {
      front = parseYaml(lines.slice(1, close).join("\n"));
    } catch (error) {
      where(`Invalid YAML in frontmatter: ${(error as Error).message}`);
    }
    if (!front || typeof front !== "object" || Array.isArray(front)) where(`Frontmatter must be a YAML mapping, got ${Array.isArray(front) ? "list" : typeof front}.`);
    const f = front as Record<string, unknown>;
    if (!f.name) where("Missing required 'name' field in frontmatter.");
    if (!f.description) where("Missing required 'description' field in frontmatter.");
    const description = String(f.description);
    if (description.length > 1024) where(`Description exceeds 1024 characters (got ${description.length}).`);
    if (f.metadata !== undefined && (typeof f.metadata !== "object" || f.metadata === null || Array.isArray(f.metadata))) where(`'metadata' must be a YAML mapping, got ${typeof f.metadata}.`);
    for (const key of ["license", "compatibility"]) {
      if (f[key] !== undefined && typeof f[key] !== "string") where(`'${key}' must be a string, got ${typeof f[key]}.`);
    }
    const name = String(f.name);
    checkName(name, basename(dir));
    return new Skill({
      name,
      description,
      body: lines.slice(close + 1).join("\n").trim(),
      path: dir,
      metadata: (f.metadata as Record<string, unknown>) ?? {},
      license: (f.license as string | undefined) ?? null,
      compatibility: (f.compatibility as string | undefined) ?? null,
    });
  }

  /** Every immediate subdirectory holding a `SKILL.md`, in sorted order; the first invalid one throws. */
  static scanDir(directory: string): Skill[] {
    const dir = resolve(directory);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ValidationError({ field: "skillsDir", message: `Skills directory not found: ${dir}` });
    return readdirSync(dir)
      .sort()
      .map((entry) => join(dir, entry))
      .filter((path) => statSync(path).isDirectory() && existsSync(join(path, "SKILL.md")))
      .map((path) => Skill.fromDir(path));
  }
}
