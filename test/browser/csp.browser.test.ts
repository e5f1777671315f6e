/**
 * Strict Content-Security-Policy in a real Chromium: a page (and its worker script) served with
 * `Content-Security-Policy: script-src 'self'` — no `'wasm-unsafe-eval'` — so WebAssembly
 * compilation is refused. The PoC RNG and CPU backend must fall back to plain JavaScript with
 * the same results (the rng and poc vectors pass), report it through `rngBackendInfo()` /
 * `cpuKernelInfo()`, and say so exactly once on the console. The same page without the policy
 * uses WebAssembly and prints no warning.
 *
 * Skips with a notice when Chromium is missing; fails instead with GONKA_REQUIRE_BROWSER=1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "puppeteer-core";
import { browserAvailability, launchChromium, openPage, servePage, type PageServer } from "./harness.js";
import { expectedCounts, failures, passedPerSection, runSuiteInTab, runSuiteInWorker, vectorBundles } from "./suites/page-vectors.js";
import type { Section } from "./suites/expected.js";

const env = browserAvailability();
const STRICT = "script-src 'self'";
const SECTIONS: Section[] = ["rng", "poc"];
/** poc.json cases in plain JavaScript (the `small` shape is left to the WebAssembly runs: slow in JS on 2 cores). */
const JS_POC_CASES = ["tiny", "gqa-scaled-rope"];

if (!env.executablePath && env.required) {
  it("Chromium is installed (GONKA_REQUIRE_BROWSER=1)", () => {
    throw new Error(env.notice);
  });
}

/** The page: the tab bundle as a same-origin script (allowed by script-src 'self'). */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>strict CSP</title><script src="/vectors.js"></script></head><body></body></html>`;

describe.skipIf(!env.executablePath)("PoC kernels under a strict Content-Security-Policy (no 'wasm-unsafe-eval')", () => {
  let strict: PageServer;
  let open: PageServer;
  let browser: Browser;
  const expected = expectedCounts();
  const fallbackWarnings = (log: string[]) => log.filter((l) => l.startsWith("warn") && l.includes("WebAssembly is unavailable"));

  beforeAll(async () => {
    const { tab, worker } = await vectorBundles();
    const csp = { "content-security-policy": STRICT };
    strict = await servePage({ "/": { body: PAGE, headers: csp }, "/vectors.js": { body: tab }, "/vectors-worker.js": { body: worker, headers: csp } });
    open = await servePage({ "/": { body: PAGE }, "/vectors.js": { body: tab }, "/vectors-worker.js": { body: worker } });
    browser = await launchChromium(env.executablePath!);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await strict?.close();
    await open?.close();
  });

  it("the policy really refuses WebAssembly compilation in the page", async () => {
    const p = await openPage(browser, strict.origin);
    try {
      const r = await p.page.evaluate(() => {
        try {
          new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
          return "compiled";
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      });
      expect(r).toMatch(/^CompileError: .*(Content Security Policy|unsafe-eval)/i);
    } finally {
      await p.close();
    }
  });

  it("in a tab: rng and CPU backend run in plain JavaScript, same vectors, one warning", async () => {
    const p = await openPage(browser, strict.origin);
    try {
      const run = await runSuiteInTab(p.page, SECTIONS, JS_POC_CASES);
      expect(failures(run)).toEqual([]);
      expect(passedPerSection(run)).toEqual({ rng: expected.rng, poc: JS_POC_CASES.length });
      expect(run.paths.rng.backend).toBe("js");
      expect(run.paths.rng.reason).toMatch(/WebAssembly compilation refused/);
      expect(run.paths.cpu.kernels).toBe("js");
      expect(fallbackWarnings(p.console)).toHaveLength(1);
      expect(fallbackWarnings(p.console)[0]).toMatch(/'wasm-unsafe-eval'/);
      expect(p.console.filter((l) => l.startsWith("pageerror"))).toEqual([]);
    } finally {
      await p.close();
    }
  }, 120_000);

  it("in a dedicated worker (served with the same policy): plain JavaScript, same vectors", async () => {
    const p = await openPage(browser, strict.origin);
    try {
      const run = await runSuiteInWorker(p.page, SECTIONS, JS_POC_CASES);
      expect(failures(run)).toEqual([]);
      expect(passedPerSection(run)).toEqual({ rng: expected.rng, poc: JS_POC_CASES.length });
      expect(run.paths.rng.backend).toBe("js");
      expect(run.paths.cpu.kernels).toBe("js");
      // the worker is its own realm and says so once there; Chromium forwards a dedicated worker's
      // console to the page's, where that is the only warning (the page itself compiled nothing)
      expect(run.warnings!.filter((w) => w.includes("WebAssembly is unavailable"))).toHaveLength(1);
      expect(fallbackWarnings(p.console)).toHaveLength(1);
    } finally {
      await p.close();
    }
  }, 120_000);

  it("the same page without the policy compiles WebAssembly and warns nothing", async () => {
    const p = await openPage(browser, open.origin);
    try {
      const run = await runSuiteInTab(p.page, ["rng"]);
      expect(failures(run)).toEqual([]);
      expect(run.paths.rng.backend).toBe("wasm");
      expect(run.paths.cpu.kernels).toBe("wasm-simd");
      expect(fallbackWarnings(p.console)).toEqual([]);
    } finally {
      await p.close();
    }
  }, 120_000);
});
