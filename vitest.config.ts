import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = fileURLToPath(new URL("./src/", import.meta.url));
import { SummaryReporter } from "./test/support/summary-reporter.js";

export default defineConfig({
  // Examples import the package by its public names, as users do; here those are the sources.
  resolve: {
    alias: [
      { find: /^dendrux$/, replacement: `${src}index.ts` },
      { find: /^dendrux\/(.+)$/, replacement: `${src}$1/index.ts` },
    ],
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ["default", new SummaryReporter()],
  },
});
