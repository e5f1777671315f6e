/**
 * The SDK's entry points bundled the way an app would (esbuild, platform browser, format esm,
 * from src/), then each loaded as a module script in Chromium. A bundle that fails to build, or
 * that still imports a Node built-in, or whose module throws on load, fails with the reason.
 *
 * Skips the in-browser half with a notice when Chromium is missing; fails instead with
 * GONKA_REQUIRE_BROWSER=1. The bundling half always runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "esbuild";
import { resolve } from "node:path";
import type { Browser } from "puppeteer-core";
import { browserAvailability, launchChromium, openPage, servePage, type PageServer } from "./harness.js";
import { nodeBuiltinImports } from "./bundle.js";

/** The entries meant to run in a browser (package subpath → source entry). */
export const BROWSER_ENTRIES: Record<string, string> = {
  "gonka-sdk": "src/index.ts",
  "gonka-sdk/chain": "src/chain/index.ts",
  "gonka-sdk/proto": "src/proto/index.ts",
  "gonka-sdk/inference": "src/inference/index.ts",
  "gonka-sdk/poc": "src/poc/index.ts",
  "gonka-sdk/poc/v2": "src/poc/v2/index.ts",
  "gonka-sdk/network": "src/network/index.ts",
  "gonka-sdk/mlnode": "src/mlnode/index.ts",
  "gonka-sdk/admin": "src/admin/index.ts",
  "gonka-sdk/dapi": "src/dapi/index.ts",
};

const repo = resolve(import.meta.dirname, "../..");
const env = browserAvailability();

/** Bundles one entry as an app would; throws with esbuild's reasons. */
async function bundleEsm(entry: string): Promise<string> {
  try {
    const r = await build({
      absWorkingDir: repo, entryPoints: [resolve(repo, entry)], bundle: true, format: "esm", platform: "browser", target: "es2022", write: false, logLevel: "silent", metafile: true,
    });
    const node = nodeBuiltinImports(r.metafile);
    if (node.length) throw new Error(`imports Node built-ins: ${node.join(", ")}`);
    return r.outputFiles[0]!.text;
  } catch (e) {
    const errs = (e as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors;
    if (errs?.length) throw new Error(errs.map((x) => `${x.text}${x.location ? ` (${x.location.file}:${x.location.line})` : ""}`).join("; "));
    throw e;
  }
}

const bundles = new Map<string, Promise<string>>();
const bundleOf = (name: string): Promise<string> => {
  let b = bundles.get(name);
  if (!b) bundles.set(name, (b = bundleEsm(BROWSER_ENTRIES[name]!)));
  return b;
};

describe("browser-safe entries bundle like an app (esbuild, platform browser, esm)", () => {
  for (const name of Object.keys(BROWSER_ENTRIES)) {
    it(`${name} bundles without Node built-ins`, async () => {
      const js = await bundleOf(name);
      expect(js.length).toBeGreaterThan(1000);
    }, 60_000);
  }
});

if (!env.executablePath && env.required) {
  it("Chromium is installed (GONKA_REQUIRE_BROWSER=1)", () => {
    throw new Error(env.notice);
  });
}

describe.skipIf(!env.executablePath)("each bundle loads as a module in Chromium", () => {
  let site: PageServer;
  let browser: Browser;
  const files: Record<string, { body: string }> = {};
  const fileOf = (name: string) => `/${name.replace(/\//g, "_")}.js`;

  beforeAll(async () => {
    for (const name of Object.keys(BROWSER_ENTRIES)) {
      try {
        files[fileOf(name)] = { body: await bundleOf(name) };
      } catch {
        // the bundling test above reports it
      }
    }
    site = await servePage({ ...files, "/": { body: "<!doctype html><title>entries</title>" } });
    browser = await launchChromium(env.executablePath!);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const name of Object.keys(BROWSER_ENTRIES)) {
    it(`import("${name}") in a tab gives its exports`, async () => {
      if (!files[fileOf(name)]) throw new Error(`${name} did not bundle`);
      const p = await openPage(browser, site.origin);
      try {
        // a string, not a function: the test runner would rewrite import() inside a function
        const r = (await p.page.evaluate(
          `import(${JSON.stringify(fileOf(name))}).then((m) => ({ ok: true, exports: Object.keys(m).length }), (e) => ({ ok: false, error: e.name + ": " + e.message }))`,
        )) as { ok: boolean; exports?: number; error?: string };
        expect(r.ok ? "" : r.error).toBe("");
        expect(r.exports).toBeGreaterThan(3);
        expect(p.console.filter((l) => l.startsWith("pageerror"))).toEqual([]);
      } finally {
        await p.close();
      }
    }, 60_000);
  }
});
