import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const EDGES = ["http", "dashboard", "cli", "guardrails", "notifiers", "mcp", "skills"];
// Package names as anchored regular expressions (a bare name would also match a folder of that name).
const DATABASE_LIBRARIES = ["^kysely(/|$)", "^better-sqlite3$", "^pg$"];
const VENDOR_SDKS = ["^@anthropic-ai/", "^openai(/|$)", "^@modelcontextprotocol/", "^@opentelemetry/", "^hono(/|$)", "^@hono/"];

/** Folder → the src/ folders it may not import, and the packages it may not use. */
const LAYERS = {
  util: { folders: ["tool", "types", "errors", "llm", "strategies", "loops", "runtime", "agent", "store", ...EDGES] },
  errors: { folders: ["tool", "llm", "strategies", "loops", "runtime", "agent", "store", ...EDGES] },
  types: { folders: ["llm", "strategies", "loops", "runtime", "agent", "store", ...EDGES] },
  tool: { folders: ["llm", "strategies", "loops", "runtime", "agent", "store", ...EDGES] },
  llm: { folders: ["strategies", "loops", "runtime", "agent", "store", ...EDGES], packages: DATABASE_LIBRARIES },
  strategies: { folders: ["loops", "runtime", "agent", "store", ...EDGES], packages: [...DATABASE_LIBRARIES, ...VENDOR_SDKS] },
  loops: { folders: ["runtime", "agent", "store", ...EDGES], packages: [...DATABASE_LIBRARIES, ...VENDOR_SDKS] },
  runtime: { folders: ["agent", "store", ...EDGES], packages: [...DATABASE_LIBRARIES, ...VENDOR_SDKS] },
  // The facade is where the pieces meet: it opens the store (lazily) but never an edge.
  agent: { folders: EDGES, packages: [...DATABASE_LIBRARIES, ...VENDOR_SDKS] },
  store: { folders: ["agent", ...EDGES], packages: VENDOR_SDKS },
};

function layerRules() {
  return Object.entries(LAYERS).map(([layer, { folders, packages = [] }]) => ({
    files: [`src/${layer}/**/*.ts`],
    ignores: [`src/${layer}/**/*.test.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...folders.map((folder) => ({
              regex: `^(\\.\\.?/)+(.*/)?${folder}/`,
              message: `src/${layer} may not import src/${folder}: imports point down the layers (agent → runtime → loops → strategies → llm), and the core never imports an edge.`,
            })),
            ...packages.map((regex) => ({
              regex,
              message: `src/${layer} may not use this package: only src/store talks to a database, only src/llm/<vendor> and the edges use vendor SDKs.`,
            })),
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "test/compat/reference/**/*.py"] },
  js.configs.recommended,
  { files: ["dashboard/**/*.js"], languageOptions: { globals: globals.browser } },
  { files: ["scripts/**/*.mjs", "bench/**/*.mjs"], languageOptions: { globals: globals.node } },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: ["src/**/*.ts", "test/**/*.ts", "examples/**/*.ts", "bench/**/*.ts"],
    rules: { "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "Use named exports." }] },
  },
  // Layering: imports point one way, agent → runtime → loops → strategies → llm,
  // all above tool / types / errors / util. Only src/store talks to a database;
  // the edges (http, dashboard, cli, guardrails, notifiers, mcp, skills) may
  // import the core, never the other way round.
  ...layerRules(),
);
