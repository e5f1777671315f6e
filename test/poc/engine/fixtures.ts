/** Shared loading of test/fixtures/poc.json for the engine tests. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { probeWebGpu, type PocParamsWire } from "../../../src/poc/index.js";

export interface PocCase {
  name: string;
  params: PocParamsWire;
  blockHash: string;
  publicKey: string;
  nonces: number[];
  distances: number[];
  logits_nonce0_first: number[];
}

export interface PocFixture {
  cases: PocCase[];
  binomtest: { n: number; k: number; p: number; pvalue: number }[];
}

export const fixture: PocFixture = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "fixtures", "poc.json"), "utf8"));

export function pocCase(name: string): PocCase {
  const c = fixture.cases.find((x) => x.name === name);
  if (!c) throw new Error(`no case ${name}`);
  return c;
}

/** Largest |a - b| relative to the largest |b| (logits near zero make element-wise ratios meaningless). */
export function relativeToMax(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / m;
}

/** Whether a WebGPU adapter can be had here (the `webgpu` package and a driver). */
/**
 * Whether WebGPU tests can run here. Without an adapter they are skipped with a notice, except when
 * `GONKA_REQUIRE_WEBGPU` is set (CI sets it): then a missing adapter fails the run instead of
 * silently skipping every GPU check.
 */
export async function hasWebGpu(): Promise<boolean> {
  const probe = await probeWebGpu();
  if (!probe.available) {
    if (process.env.GONKA_REQUIRE_WEBGPU) {
      throw new Error(`GONKA_REQUIRE_WEBGPU is set but no WebGPU adapter is available: ${JSON.stringify(probe)}. Run \`npm run setup:vulkan\`.`);
    }
    console.warn("WebGPU tests skipped: no adapter (install a Vulkan driver with `npm run setup:vulkan`).");
  }
  return probe.available;
}
