import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");

it("the README quickstart is the example file, and it runs", async () => {
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
  const dir = mkdtempSync(join(tmpdir(), "dendrux-readme-"));
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/readme-quickstart.ts", `sqlite:///${join(dir, "app.db")}`], {
      cwd: root,
      env: { ...process.env, DENDRUX_LOG: "silent" },
    });
    expect(stdout.trim()).toBe("waiting_approval success Refunded!");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
