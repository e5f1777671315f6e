/**
 * The WebGPU PoC engine in a real Chromium, on SwiftShader (Chromium's CPU Vulkan): every
 * poc.json distance within 1e-6, in a tab and in a dedicated worker.
 *
 * `navigator.gpu.requestAdapter()` returns a SwiftShader adapter in headless Chromium 156 with
 * {@link WEBGPU_FLAGS} (checked: `--enable-unsafe-webgpu --use-webgpu-adapter=swiftshader` alone
 * is enough there; the Vulkan/ANGLE flags keep older builds on SwiftShader too). Without an
 * adapter the suite skips with the reason, unless GONKA_REQUIRE_BROWSER_WEBGPU=1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "puppeteer-core";
import { browserAvailability, launchChromium, openPage, servePage, type OpenedPage, type PageServer } from "./harness.js";
import { expectedCounts, failures, passedPerSection, runSuiteInTab, runSuiteInWorker, vectorBundles } from "./suites/page-vectors.js";

/** Chromium flags that give WebGPU a SwiftShader adapter headless. */
export const WEBGPU_FLAGS = ["--enable-unsafe-webgpu", "--enable-features=Vulkan", "--use-angle=swiftshader", "--use-webgpu-adapter=swiftshader"];

const env = browserAvailability();
const requireGpu = process.env.GONKA_REQUIRE_BROWSER_WEBGPU === "1";

if (!env.executablePath && env.required) {
  it("Chromium is installed (GONKA_REQUIRE_BROWSER=1)", () => {
    throw new Error(env.notice);
  });
}

describe.skipIf(!env.executablePath)("WebGPU PoC engine in Chromium (SwiftShader)", () => {
  let site: PageServer;
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;
  let adapter: { ok: boolean; info: string };
  const expected = expectedCounts();

  beforeAll(async () => {
    const { tab, worker } = await vectorBundles();
    site = await servePage({ "/vectors.js": { body: tab }, "/vectors-worker.js": { body: worker } });
    browser = await launchChromium(env.executablePath!, WEBGPU_FLAGS);
    opened = await openPage(browser, site.origin);
    page = opened.page;
    adapter = await page.evaluate(async () => {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string } } | null> } }).gpu;
      if (!gpu) return { ok: false, info: "navigator.gpu is missing (WebGPU disabled in this Chromium?)" };
      const a = await gpu.requestAdapter();
      if (!a) return { ok: false, info: "navigator.gpu.requestAdapter() returned null" };
      return { ok: true, info: `${a.info?.vendor}/${a.info?.architecture}` };
    });
    if (!adapter.ok && !requireGpu) console.warn(`[browser tests] WebGPU checks skipped: ${adapter.info}. Set GONKA_REQUIRE_BROWSER_WEBGPU=1 to make this a failure.`);
  }, 120_000);

  afterAll(async () => {
    await opened?.close().catch(() => undefined);
    await browser?.close();
    await site?.close();
  });

  it("gets a WebGPU adapter (SwiftShader)", (ctx) => {
    if (!adapter.ok && !requireGpu) ctx.skip();
    expect(adapter).toEqual({ ok: true, info: "google/swiftshader" });
  });

  it("in a tab: every poc.json distance within 1e-6 on the WebGPU backend (tiny, gqa-scaled-rope)", async (ctx) => {
    if (!adapter.ok && !requireGpu) ctx.skip();
    const run = await runSuiteInTab(page, ["webgpu"], ["tiny", "gqa-scaled-rope"]);
    expect(failures(run)).toEqual([]);
    expect(passedPerSection(run)).toEqual({ webgpu: 2 });
  }, 120_000);

  it("in a dedicated worker: the same on the WebGPU backend (tiny)", async (ctx) => {
    if (!adapter.ok && !requireGpu) ctx.skip();
    const run = await runSuiteInWorker(page, ["webgpu"], ["tiny"]);
    expect(failures(run)).toEqual([]);
    expect(passedPerSection(run)).toEqual({ webgpu: 1 });
  }, 120_000);

  // The `small` shape (every nonce within 1e-6 too) takes ~35 s on SwiftShader with 2 cores:
  // run it with GONKA_BROWSER_WEBGPU_FULL=1.
  it.runIf(process.env.GONKA_BROWSER_WEBGPU_FULL === "1")("in a tab: the small shape too", async (ctx) => {
    if (!adapter.ok && !requireGpu) ctx.skip();
    const run = await runSuiteInTab(page, ["webgpu"], ["small"]);
    expect(failures(run)).toEqual([]);
    expect(passedPerSection(run)).toEqual({ webgpu: expected.webgpu - 2 });
  }, 180_000);
});
