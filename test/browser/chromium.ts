/**
 * Finding and launching a real Chromium for browser tests (puppeteer-core drives it; nothing is
 * downloaded). Debian: `apt-get install -y chromium` puts it at /usr/bin/chromium.
 *
 * `GONKA_CHROMIUM` points at another binary. Suites call {@link browserAvailability}: when no
 * browser is found they skip with a notice, unless `GONKA_REQUIRE_BROWSER=1`, which turns the
 * absence into a failure (CI).
 */
import { existsSync } from "node:fs";
import puppeteer, { type Browser } from "puppeteer-core";

/** Where Chromium is looked for, in order (after `GONKA_CHROMIUM`). */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
];

/** The path of a Chromium binary, or undefined. */
export function findChromium(env: Record<string, string | undefined> = process.env): string | undefined {
  const own = env.GONKA_CHROMIUM;
  if (own) return existsSync(own) ? own : undefined;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

/** Whether browser tests can run here, must run (GONKA_REQUIRE_BROWSER=1), and why not. */
export interface BrowserAvailability {
  executablePath: string | undefined;
  required: boolean;
  /** A one-line notice when the browser is missing. */
  notice?: string;
}

/**
 * Says whether a browser suite can run. Prints a notice once when it cannot.
 *
 * @example
 * ```ts
 * const browser = browserAvailability();
 * describe.skipIf(!browser.executablePath)("…", () => { … });
 * if (!browser.executablePath && browser.required) it("needs chromium", () => { throw new Error(browser.notice); });
 * ```
 */
export function browserAvailability(env: Record<string, string | undefined> = process.env): BrowserAvailability {
  const executablePath = findChromium(env);
  const required = env.GONKA_REQUIRE_BROWSER === "1";
  if (executablePath) return { executablePath, required };
  const notice = `No Chromium found (looked at $GONKA_CHROMIUM and ${CHROMIUM_CANDIDATES.join(", ")}). Install it with \`apt-get install -y chromium\`.`;
  if (!required) console.warn(`[browser tests] skipped: ${notice} Set GONKA_REQUIRE_BROWSER=1 to make this a failure.`);
  return { executablePath, required, notice };
}

/**
 * Launches headless Chromium. `--no-sandbox` because CI runs as root; each launch has its own
 * profile, so tests do not share caches or permissions.
 */
export async function launchChromium(executablePath: string, extraArgs: string[] = []): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--no-default-browser-check", ...extraArgs],
  });
}
