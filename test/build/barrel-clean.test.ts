import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const HEAVY = ["kysely", "better-sqlite3", "pg", "openai", "@anthropic-ai/sdk", "@modelcontextprotocol/sdk", "hono", "yaml", "@opentelemetry/api"];

/** Every bare module a file loads at import time, following static relative imports. */
function staticImportGraph(entry: string): Set<string> {
  const bare = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    // Static value imports only: `import type` is erased and `import()` is lazy.
    for (const match of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm)) {
      const spec = match[1]!;
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      else bare.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
    }
  };
  visit(entry);
  return bare;
}

describe("entry points stay light", () => {
  it("importing `dendrux` loads no database driver, vendor SDK or HTTP framework", () => {
    const loaded = staticImportGraph(join(root, "src/index.ts"));
    for (const heavy of HEAVY) expect(loaded, heavy).not.toContain(heavy);
    expect([...loaded].filter((m) => !m.startsWith("node:")).sort()).toEqual(["picocolors", "ulid", "zod"].filter((m) => loaded.has(m)));
  });

  it("`dendrux/llm/mock`, `dendrux/notifiers` and `dendrux/guardrails` load no database driver", () => {
    for (const entry of ["src/llm/mock/index.ts", "src/notifiers/index.ts", "src/guardrails/index.ts"]) {
      const loaded = staticImportGraph(join(root, entry));
      for (const heavy of HEAVY) expect(loaded, `${entry} → ${heavy}`).not.toContain(heavy);
    }
  });
});
