/**
 * In a real Chromium: every golden-vector section (keys, signed txs, rng, poc distances on the
 * CPU backend, poc v2, inference signatures and decimals) checked by the SDK bundled for the
 * browser — in a tab and in a dedicated worker. The page is a loopback origin (a secure context).
 *
 * Skips with a notice when Chromium is missing; fails instead with GONKA_REQUIRE_BROWSER=1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "puppeteer-core";
import { browserAvailability, launchChromium, openPage, servePage, type OpenedPage, type PageServer } from "./harness.js";
import { expectedCounts, failures, passedPerSection, runSuiteInTab, runSuiteInWorker, vectorBundles } from "./suites/page-vectors.js";
import type { Section } from "./suites/expected.js";

const env = browserAvailability();
const SECTIONS: Section[] = ["keys", "txs", "rng", "poc", "pocv2", "inference"];

if (!env.executablePath && env.required) {
  it("Chromium is installed (GONKA_REQUIRE_BROWSER=1)", () => {
    throw new Error(env.notice);
  });
}

describe.skipIf(!env.executablePath)("golden vectors in Chromium", () => {
  let site: PageServer;
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;
  const expected = expectedCounts();

  beforeAll(async () => {
    const { tab, worker } = await vectorBundles();
    site = await servePage({ "/vectors.js": { body: tab }, "/vectors-worker.js": { body: worker } });
    browser = await launchChromium(env.executablePath!);
    opened = await openPage(browser, site.origin);
    page = opened.page;
  }, 120_000);

  afterAll(async () => {
    await opened?.close().catch(() => undefined);
    await browser?.close();
    await site?.close();
  });

  it("in a tab: every section passes, with every check of each", async () => {
    const run = await runSuiteInTab(page, SECTIONS);
    expect(failures(run)).toEqual([]);
    expect(passedPerSection(run)).toEqual(Object.fromEntries(SECTIONS.map((s) => [s, expected[s]])));
    // without a CSP the page compiles WebAssembly
    expect(run.paths.rng.backend).toBe("wasm");
    expect(run.paths.cpu.kernels).toBe("wasm-simd");
    expect(opened.console.filter((l) => l.startsWith("pageerror") || l.startsWith("warn"))).toEqual([]);
  }, 120_000);

  it("in a dedicated worker: every section passes, with every check of each", async () => {
    const run = await runSuiteInWorker(page, SECTIONS);
    expect(failures(run)).toEqual([]);
    expect(passedPerSection(run)).toEqual(Object.fromEntries(SECTIONS.map((s) => [s, expected[s]])));
    expect(run.paths.rng.backend).toBe("wasm");
    expect(run.paths.cpu.kernels).toBe("wasm-simd");
  }, 120_000);
});
