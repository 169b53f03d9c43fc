import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { describeEachBackend } from "../support/backends.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");

it("the README quickstart is the example file", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const example = readFileSync(join(root, "examples/readme-quickstart.ts"), "utf8");
  const snippet = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  const normalise = (code: string) =>
    code
      .replace(/from "\.\.\/src\/index\.js"/g, 'from "dendrux"')
      .replace(/from "\.\.\/src\/llm\/mock\/index\.js"/g, 'from "dendrux/llm/mock"')
      .replace(/process\.argv\[2\] \?\? /, "")
      .replace(/\/\*\*[\s\S]*?\*\/\n/, "")
      .replace(/\nconsole\.log\(.*\);\n?$/, "\n")
      .trim();
  expect(normalise(example)).toBe(normalise(snippet));
});

describeEachBackend("the README quickstart", (backend) => {
  it("runs: pauses for approval, then finishes", async () => {
    const database = await backend.create();
    try {
      const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/readme-quickstart.ts", database.url], {
        cwd: root,
        env: { ...process.env, DENDRUX_LOG: "silent" },
      });
      expect(stdout.trim()).toBe("waiting_approval success Refunded!");
    } finally {
      await database.cleanup();
    }
  });
});
