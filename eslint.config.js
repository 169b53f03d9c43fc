import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const restrict = (patterns, message) => ({
  "no-restricted-imports": ["error", { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "test/compat/reference/**/*.py"] },
  js.configs.recommended,
  { files: ["dashboard/**/*.js"], languageOptions: { globals: globals.browser } },
  { files: ["scripts/**/*.mjs"], languageOptions: { globals: globals.node } },
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
  // Layering: dependencies point one way. Only src/store talks to databases;
  // only src/llm/<vendor> talks to a vendor SDK; the core never imports the edges.
  {
    files: ["src/**/*.ts"],
    ignores: ["src/store/**"],
    rules: restrict(["kysely", "better-sqlite3", "pg", "kysely/*"], "Only src/store may talk to a database."),
  },
  {
    files: ["src/loops/**/*.ts", "src/strategies/**/*.ts", "src/runtime/**/*.ts", "src/types/**/*.ts", "src/tool/**/*.ts"],
    rules: restrict(
      ["**/notifiers/*", "**/http/*", "**/cli/*", "**/store/*", "@anthropic-ai/*", "openai", "kysely", "better-sqlite3", "pg"],
      "The core never imports edges, databases or vendor SDKs.",
    ),
  },
  {
    files: ["src/llm/**/*.ts"],
    rules: restrict(["**/loops/*", "**/runtime/*", "**/agent/*", "**/store/*", "kysely", "pg", "better-sqlite3"], "A provider never knows about the loop or storage."),
  },
);
