/**
 * The browser test harness: find and launch a real Chromium, bundle SDK entry points for the
 * browser, serve them with a page from one loopback origin, and run functions in that page.
 * Browser test files are named `test/browser/*.browser.test.ts`.
 *
 * @example
 * ```ts
 * import { browserAvailability, bundleForBrowser, launchChromium, openPage, runInPage, servePage } from "./harness.js";
 * const env = browserAvailability();
 * describe.skipIf(!env.executablePath)("my suite", () => {
 *   it("runs in Chromium", async () => {
 *     const browser = await launchChromium(env.executablePath!);
 *     const site = await servePage({ "/sdk.js": { body: await bundleForBrowser("src/inference/index.ts", { globalName: "Sdk" }) } });
 *     const { page } = await openPage(browser, site.origin);
 *     const r = await runInPage(page, () => typeof (globalThis as any).Sdk.gonkaFetch, undefined);
 *     // r = { ok: true, value: "function" }
 *     await browser.close(); await site.close();
 *   });
 * });
 * ```
 */
export { browserAvailability, findChromium, launchChromium, CHROMIUM_CANDIDATES, type BrowserAvailability } from "./chromium.js";
export { bundleForBrowser, type BundleOptions } from "./bundle.js";
export { servePage, type PageServer, type ServedFile } from "./page-server.js";
export { openPage, runInPage, type OpenedPage, type PageResult } from "./run-in-page.js";
export { startStockCorsProxy, STOCK_NODE_CORS_ALLOW_HEADERS, type StockCorsProxy } from "./stock-cors-proxy.js";
