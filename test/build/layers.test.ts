import { join } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const eslint = new ESLint({ cwd: root });

/** Lints one import line as if it were written in `file`; returns the layer rule's messages. */
async function importFrom(file: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from "${specifier}";\nexport const y = x;\n`, { filePath: join(root, file) });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the layer matrix is enforced by lint", () => {
  it.each([
    ["src/loops/x.ts", "../runtime/runner.js", "src/loops may not import src/runtime"],
    ["src/loops/x.ts", "../agent/agent.js", "src/loops may not import src/agent"],
    ["src/strategies/x.ts", "../loops/loop.js", "src/strategies may not import src/loops"],
    ["src/llm/anthropic/x.ts", "../../loops/loop.js", "src/llm may not import src/loops"],
    ["src/llm/x.ts", "../store/run-store.js", "src/llm may not import src/store"],
    ["src/runtime/x.ts", "../agent/agent.js", "src/runtime may not import src/agent"],
    ["src/runtime/x.ts", "../store/sql-journal.js", "src/runtime may not import src/store"],
    ["src/agent/x.ts", "../http/read-router.js", "src/agent may not import src/http"],
    ["src/agent/x.ts", "../guardrails/pii.js", "src/agent may not import src/guardrails"],
    ["src/runtime/x.ts", "../notifiers/console-notifier.js", "src/runtime may not import src/notifiers"],
    ["src/types/x.ts", "../runtime/runner.js", "src/types may not import src/runtime"],
    ["src/store/x.ts", "../agent/agent.js", "src/store may not import src/agent"],
    ["src/loops/x.ts", "kysely", "src/loops may not use this package"],
    ["src/runtime/x.ts", "pg", "src/runtime may not use this package"],
    ["src/loops/x.ts", "@anthropic-ai/sdk", "src/loops may not use this package"],
    ["src/agent/x.ts", "hono", "src/agent may not use this package"],
  ])("%s importing %s fails", async (file, specifier, message) => {
    const messages = await importFrom(file, specifier);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
  });

  it.each([
    ["src/agent/x.ts", "../runtime/runner.js"],
    ["src/agent/x.ts", "../store/database-url.js"],
    ["src/runtime/x.ts", "../loops/loop.js"],
    ["src/loops/x.ts", "../strategies/strategy.js"],
    ["src/loops/x.ts", "../llm/provider.js"],
    ["src/strategies/x.ts", "../llm/provider.js"],
    ["src/store/x.ts", "kysely"],
    ["src/store/x.ts", "../runtime/persistence.js"],
    ["src/llm/openai/x.ts", "openai"],
    ["src/http/x.ts", "../agent/agent.js"],
    ["src/dashboard/x.ts", "hono"],
  ])("%s importing %s is allowed", async (file, specifier) => {
    expect(await importFrom(file, specifier)).toEqual([]);
  });
});
