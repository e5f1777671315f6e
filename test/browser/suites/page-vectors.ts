/**
 * Node-side helpers of the in-browser vector suite: bundling it (tab global and worker script),
 * running it in a tab or a dedicated worker of an open page, and reading the fixtures to know
 * how many checks each section must have run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { bundleForBrowser } from "../bundle.js";
import { expectedVectorCounts, type Fixtures, type Section, type VectorResult } from "./expected.js";

/** The global of the tab bundle. */
export const VECTORS_GLOBAL = "GonkaVectors";

/** What a run reports: the checks and which kernel paths the realm took. */
export interface SuiteRun {
  results: VectorResult[];
  paths: { rng: { backend: "wasm" | "js"; reason?: string }; cpu: { kernels: "wasm-simd" | "js"; reason?: string } };
  /** The worker's console.warn texts (worker runs only). */
  warnings?: string[];
}

/** The tab bundle (`/vectors.js`) and the worker script (`/vectors-worker.js`). */
export async function vectorBundles(): Promise<{ tab: string; worker: string }> {
  const [tab, worker] = await Promise.all([
    bundleForBrowser("test/browser/suites/vectors.ts", { globalName: VECTORS_GLOBAL, jsonAsText: true }),
    bundleForBrowser("test/browser/suites/vectors-worker.ts", { globalName: "GonkaVectorsWorker", jsonAsText: true }),
  ]);
  return { tab, worker };
}

/** Per-section check counts for the fixtures in test/fixtures (read losslessly enough: counts only). */
export function expectedCounts(): Record<Section, number> {
  const dir = join(import.meta.dirname, "..", "..", "fixtures");
  const read = (n: string) => JSON.parse(readFileSync(join(dir, n), "utf8"));
  const f: Fixtures = {
    wire: read("wire.json"), upgrades: read("wire-upgrades.json"), rng: read("rng.json"), poc: read("poc.json"), pocv2: read("poc-v2.json"), inference: read("inference-upgrades.json"),
  };
  return expectedVectorCounts(f);
}

/** Runs the suite in the page itself (page.evaluate: allowed under any CSP). */
export async function runSuiteInTab(page: Page, sections?: Section[], pocCases?: string[]): Promise<SuiteRun> {
  return page.evaluate(
    async (s, c) => {
      const g = (globalThis as unknown as Record<string, { runVectorSuite(s?: string[], c?: string[]): Promise<unknown>; kernelPaths(): unknown }>).GonkaVectors!;
      const results = await g.runVectorSuite(s, c);
      return { results, paths: g.kernelPaths() } as SuiteRun;
    },
    sections as Section[] | undefined,
    pocCases as string[] | undefined,
  ) as Promise<SuiteRun>;
}

/** Runs the suite in a dedicated worker started by the page from `/vectors-worker.js`. */
export async function runSuiteInWorker(page: Page, sections?: Section[], pocCases?: string[]): Promise<SuiteRun> {
  return page.evaluate(
    (s, c) =>
      new Promise<SuiteRun>((resolve, reject) => {
        const w = new Worker("/vectors-worker.js", { name: "gonka-vectors" });
        w.onmessage = (e: MessageEvent<SuiteRun & { error?: string }>) => {
          w.terminate();
          if (e.data.error) reject(new Error(e.data.error));
          else resolve(e.data);
        };
        w.onerror = (e) => {
          w.terminate();
          reject(new Error(`worker failed: ${e.message || "could not start (blocked by CSP?)"}`));
        };
        w.postMessage({ sections: s, pocCases: c });
      }),
    sections as Section[] | undefined,
    pocCases as string[] | undefined,
  );
}

/** Failing checks as readable lines (empty when all passed). */
export function failures(run: SuiteRun): string[] {
  return run.results.filter((r) => !r.ok).map((r) => `[${r.section}] ${r.name}: ${r.error}`);
}

/** How many checks passed per section. */
export function passedPerSection(run: SuiteRun): Partial<Record<Section, number>> {
  const out: Partial<Record<Section, number>> = {};
  for (const r of run.results) if (r.ok) out[r.section] = (out[r.section] ?? 0) + 1;
  return out;
}
