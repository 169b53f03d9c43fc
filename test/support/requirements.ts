import { describe } from "vitest";

/**
 * `.ci/run` sets DENDRUX_TEST_STRICT=1: there a missing requirement fails the
 * run instead of skipping tests, so CI never hides a PostgreSQL or browser test.
 */
export const STRICT = process.env.DENDRUX_TEST_STRICT === "1";

/**
 * Checks something a group of tests needs outside Node. Returns why it is
 * missing (the caller skips, saying so), `null` when it is there; throws in
 * strict mode.
 */
export function requirement(missing: string | null): string | null {
  if (missing === null) return null;
  if (STRICT) throw new Error(`${missing}. .ci/run (DENDRUX_TEST_STRICT=1) runs every test, so this is a failure, not a skip.`);
  console.warn(`[dendrux tests] SKIPPED: ${missing}`);
  return missing;
}

/** A `describe` that is skipped, with the reason in its title, when `missing` is set. */
export function describeRequiring(missing: string | null, title: string, fn: () => void): void {
  // Skips only on a developer's machine without the requirement (PostgreSQL,
  // Chromium); `requirement` has already thrown under DENDRUX_TEST_STRICT=1.
  describe.skipIf(missing !== null)(missing ? `${title} (SKIPPED: ${missing})` : title, fn);
}
