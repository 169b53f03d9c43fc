import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { requirement } from "./requirements.js";

/** Debian's Chromium (installed by .ci/run), or the one DENDRUX_CHROMIUM names. */
export const CHROMIUM = process.env.DENDRUX_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests of `what` cannot run, or `null` (throws in strict mode, see `requirement`). */
export function chromiumMissing(what: string): string | null {
  return requirement(existsSync(CHROMIUM) ? null : `no browser at ${CHROMIUM} for ${what} (.ci/run installs Debian's chromium)`);
}

/** A headless Chromium that talks to nothing but the pages a test opens. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
