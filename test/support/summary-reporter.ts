import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints one plain closing line (`tests: N passed, N failed, N skipped`) that
 * any CI can read, preceded by each skipped test's full name (whose title says
 * why) and each file that failed before its tests could run.
 */
export class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    const skipped: string[] = [];
    const brokenFiles: string[] = [];
    for (const module of modules) {
      if (module.errors().length > 0) brokenFiles.push(module.moduleId);
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped.push(test.fullName);
      }
    }
    const lines = [
      ...skipped.map((name) => `skipped: ${name}`),
      ...brokenFiles.map((file) => `failed to load: ${file}`),
      `tests: ${passed} passed, ${failed + brokenFiles.length} failed, ${skipped.length} skipped`,
    ];
    process.stdout.write(`\n${lines.join("\n")}\n`);
  }
}
