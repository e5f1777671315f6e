/**
 * PoC WebGPU matmul kernels, one by one, on the current adapter: the register-blocked kernel,
 * the shared-memory tiled kernel (float32 activations, and float16 activations), and the
 * subgroup-matrix kernel when the adapter exposes it. For each: one matmul alone (GFLOP/s), the
 * forward pass on the `small` shape of poc.json (nonces/s), every poc.json distance against the
 * vectors, and for the float16-activation paths the `dist < r_target` flip rate over N nonces of
 * `small` against the float32 path (the CPU backend: float32 accumulation, within 7.5e-8 of the
 * vectors).
 *
 * On lavapipe / SwiftShader every figure is a CPU figure (the "GPU" is LLVM on the host cores).
 *
 *   npx tsx bench/poc-kernels.ts
 *   POC_KERNELS_FLIPS=2000 …          # nonces of the flip measurement (default 2000; 0 skips it)
 *   POC_KERNELS_SECONDS=5 …           # seconds per throughput measurement (default 5)
 *   POC_KERNELS_ONLY=tiled-f16 …      # comma-separated subset of kernel names
 *   POC_KERNELS_TOGGLES=allow_unsafe_apis,vulkan_enable_f16_on_nvidia …   # Dawn toggles (Node)
 *
 * Writes bench/results/poc-kernels.json (measurements of kernels not run are kept from the last
 * run, marked with its date).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { acquireGpu } from "../src/poc/backends/webgpu/gpu.js";
import { createMatmulRunner } from "../src/poc/backends/webgpu/matmul-runner.js";
import {
  createPocEngine, createWebGpuBackend, DEFAULT_R_TARGET, derivePocShape, float16ArrayToFloat32, initWeights, pocInputs,
  probeWebGpu, type KernelTuning, type PocParamsWire, type WebGpuBackend,
} from "../src/poc/index.js";
import { resolveTuning } from "../src/poc/backends/webgpu/plan.js";

const here = import.meta.dirname;
interface Case { name: string; params: PocParamsWire; blockHash: string; publicKey: string; nonces: number[]; distances: number[] }
const fixture = JSON.parse(readFileSync(join(here, "..", "test", "fixtures", "poc.json"), "utf8")) as { cases: Case[] };
const small = fixture.cases.find((c) => c.name === "small")!;
const seconds = Number(process.env.POC_KERNELS_SECONDS ?? 5);
const flipNonces = Number(process.env.POC_KERNELS_FLIPS ?? 2000);
const toggles = (process.env.POC_KERNELS_TOGGLES ?? "").split(",").filter(Boolean);
const only = (process.env.POC_KERNELS_ONLY ?? "").split(",").filter(Boolean);
const load = (): number => Math.round(loadavg()[0] * 100) / 100;

const probe = await probeWebGpu({ dawnToggles: toggles });
if (!probe.available) {
  console.error(`no WebGPU adapter: ${probe.reason}`);
  process.exit(1);
}
console.log(`adapter: ${probe.adapterName}${probe.isSoftware ? " (software: CPU figures)" : ""}`);

const kernels: { name: string; tuning: KernelTuning }[] = [
  { name: "register", tuning: { kernel: "register" } },
  { name: "tiled", tuning: { kernel: "tiled" } },
  { name: "tiled-f16", tuning: { kernel: "tiled", activations: "f16" } },
];
if (probe.subgroupMatrixConfigs?.length) kernels.push({ name: "subgroup-matrix", tuning: { kernel: "subgroup-matrix" } });
const chosen = kernels.filter((k) => !only.length || only.includes(k.name));

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  note: probe.isSoftware
    ? "lavapipe/SwiftShader: a software Vulkan driver on the host CPU — every figure here is a CPU figure, not a GPU one"
    : "hardware adapter",
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
  adapter: probe,
  dawnToggles: toggles,
  loadAtStart: load(),
  kernels: {} as Record<string, unknown>,
};
const out = results.kernels as Record<string, Record<string, unknown>>;

// 1. One matmul alone: the FFN's first projection of `small` with 8 nonces (rows 256, k 256, out hidden), store epilogue.
const shape = derivePocShape(small.params);
{
  const ctx = await acquireGpu({ wantF16: true, wantSubgroupMatrix: true, dawnToggles: toggles });
  const rows = 8 * shape.seqLen, k = shape.dim, outN = shape.hidden;
  for (const kn of chosen) {
    const tuning = resolveTuning(ctx, kn.tuning);
    const runner = await createMatmulRunner(ctx, tuning, { rows, k, out: outN, epilogue: "store", weights: "f16" });
    const x = new Float32Array(rows * k).map((_, i) => Math.sin(i));
    const w = new Float32Array(outN * k).map((_, i) => Math.round(Math.cos(i) * 1024) / 32768);
    await runner.run({ x, w });
    let repeats = 1, s = await runner.time(1);
    repeats = Math.max(1, Math.min(200, Math.round(seconds / 2 / s)));
    s = await runner.time(repeats);
    const gflops = (2 * rows * k * outN) / s / 1e9;
    out[kn.name] = { matmul: { rows, k, out: outN, weights: "f16", epilogue: "store", repeats, secondsPerMatmul: s, gflops, load: load() } };
    console.log(`${kn.name}: matmul ${rows}x${k}·${outN}x${k}ᵀ ${gflops.toFixed(2)} GFLOP/s`);
    runner.destroy();
  }
  ctx.release();
}

// 2. The forward pass on `small`, 8 nonces per submission.
const weights = initWeights(small.params, small.blockHash);
const per = shape.seqLen * shape.dim;
const bits = new Uint16Array(8 * per);
for (let i = 0; i < 8; i++) pocInputs(small.blockHash, small.publicKey, i, shape.seqLen, shape.dim, bits.subarray(i * per, (i + 1) * per));
const inputs = float16ArrayToFloat32(bits);
const flopsPerNonce = (() => {
  const qw = shape.nHeads * shape.headDim, kw = shape.nKvHeads * shape.headDim;
  const kv = 2 * shape.dim * kw, rest = shape.dim * qw + qw * shape.dim + 3 * shape.dim * shape.hidden;
  return 2 * ((shape.nLayers - 1) * shape.seqLen * (kv + rest) + shape.seqLen * kv + rest + shape.dim * shape.vocab);
})();
for (const kn of chosen) {
  const b: WebGpuBackend = await createWebGpuBackend(shape, weights, { tuning: kn.tuning, batchSize: 8, dawnToggles: toggles });
  await b.forward(inputs, 8);
  let n = 0;
  const before = load();
  const t0 = performance.now();
  do {
    await b.forward(inputs, 8);
    n += 8;
  } while ((performance.now() - t0) / 1000 < seconds);
  const dt = (performance.now() - t0) / 1000;
  out[kn.name].small = { noncesPerSecond: n / dt, gflops: (n / dt) * flopsPerNonce / 1e9, nonces: n, seconds: dt, description: b.description, load: { before, after: load() } };
  console.log(`${kn.name}: small ${(n / dt).toFixed(2)} nonces/s — ${b.description}`);
  b.destroy();
}

// 3. Every poc.json distance.
for (const kn of chosen) {
  let worst = 0;
  const perCase: Record<string, number> = {};
  for (const c of fixture.cases) {
    const engine = await createPocEngine({ params: c.params, blockHash: c.blockHash, publicKey: c.publicKey, backend: "webgpu", webgpu: { tuning: kn.tuning, dawnToggles: toggles } });
    const d = await engine.distances(c.nonces);
    engine.destroy();
    perCase[c.name] = Math.max(...c.distances.map((v, i) => Math.abs(d[i] - v)));
    worst = Math.max(worst, perCase[c.name]);
  }
  out[kn.name].vectors = { maxAbsDistanceError: worst, perCase, nonces: fixture.cases.reduce((a, c) => a + c.nonces.length, 0) };
  console.log(`${kn.name}: max |Δdistance| on poc.json ${worst.toExponential(2)}`);
}

/**
 * What a flip count over N nonces can say: the 95% upper bound of the rate (Clopper–Pearson; for
 * 0 flips 1 − 0.05^(1/N) ≈ 3/N), and a model of the rate — a distance flips when it lies closer to
 * r_target than its error, so rate ≈ (density of reference distances at r_target) × mean |Δ|
 * (errors of either sign), the density counted in ±0.01 around r_target.
 */
function flipModel(ref: Float64Array, flips: number, meanAbsError: number): Record<string, number> {
  const n = ref.length, w = 0.01;
  let near = 0, margin = Infinity;
  for (const d of ref) {
    if (Math.abs(d - DEFAULT_R_TARGET) < w) near++;
    margin = Math.min(margin, Math.abs(d - DEFAULT_R_TARGET));
  }
  const density = near / (2 * w * n);
  // Clopper–Pearson upper bound by bisection on the binomial tail P(X ≤ flips; p) = 0.05.
  const tail = (p: number): number => {
    let term = (1 - p) ** n, sum = term;
    for (let k = 1; k <= flips; k++) { term *= ((n - k + 1) / k) * (p / (1 - p)); sum += term; }
    return sum;
  };
  let lo = flips / n, hi = 1;
  for (let i = 0; i < 60; i++) { const mid = (lo + hi) / 2; if (tail(mid) > 0.05) lo = mid; else hi = mid; }
  return { flipRateUpper95: hi, referenceDensityAtRTarget: density, referenceNonceNearestToRTarget: margin, modelFlipRate: density * meanAbsError };
}

// 4. Flip rate of the float16-activation paths against the float32 path, over `flipNonces` nonces of small.
const flipKernels = chosen.filter((k) => k.name === "tiled-f16" || k.name === "subgroup-matrix");
if (flipNonces > 0 && flipKernels.length) {
  const nonces = Array.from({ length: flipNonces }, (_, i) => i);
  const cpu = await createPocEngine({ params: small.params, blockHash: small.blockHash, publicKey: small.publicKey, backend: "cpu" });
  let t = performance.now();
  const ref = await cpu.distances(nonces);
  cpu.destroy();
  console.log(`float32 reference (CPU backend): ${flipNonces} nonces in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  for (const kn of flipKernels) {
    const engine = await createPocEngine({ params: small.params, blockHash: small.blockHash, publicKey: small.publicKey, backend: "webgpu", webgpu: { tuning: kn.tuning, dawnToggles: toggles } });
    t = performance.now();
    const got = new Float64Array(flipNonces);
    for (let i = 0; i < flipNonces; i += 200) {
      got.set(await engine.distances(nonces.slice(i, i + 200)), i);
      console.log(`  ${kn.name}: ${Math.min(i + 200, flipNonces)} / ${flipNonces} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    }
    engine.destroy();
    let maxErr = 0, sumErr = 0, flips = 0, valid = 0, validGot = 0;
    for (let i = 0; i < flipNonces; i++) {
      const e = Math.abs(got[i] - ref[i]);
      maxErr = Math.max(maxErr, e);
      sumErr += e;
      if (ref[i] < DEFAULT_R_TARGET) valid++;
      if (got[i] < DEFAULT_R_TARGET) validGot++;
      if ((got[i] < DEFAULT_R_TARGET) !== (ref[i] < DEFAULT_R_TARGET)) flips++;
    }
    out[kn.name].flips = {
      shape: "small", nonces: flipNonces, against: "CPU backend (float32 activations, float32 accumulation)", rTarget: DEFAULT_R_TARGET,
      validInReference: valid, validInThisPath: validGot, flips, flipRate: flips / flipNonces, maxAbsDistanceError: maxErr,
      meanAbsDistanceError: sumErr / flipNonces, toleratedMismatchRate: 5e-4, seconds: (performance.now() - t) / 1000,
      ...flipModel(ref, flips, sumErr / flipNonces),
    };
    console.log(`${kn.name}: ${flips} flips of ${flipNonces} (${valid} valid in the reference), max |Δdistance| ${maxErr.toExponential(2)}, mean ${(sumErr / flipNonces).toExponential(2)}`);
  }
}

results.loadAtEnd = load();
mkdirSync(join(here, "results"), { recursive: true });
const file = join(here, "results", "poc-kernels.json");
const previous = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { date?: string; adapter?: { adapterName?: string }; kernels?: Record<string, Record<string, unknown>> }) : {};
// Keep what this run did not measure (same adapter), marked with the run it comes from.
if (previous.kernels && previous.adapter?.adapterName === probe.adapterName) {
  for (const [name, prev] of Object.entries(previous.kernels)) {
    const cur = (out[name] ??= {});
    for (const [key, value] of Object.entries(prev)) {
      if (!(key in cur)) cur[key] = { ...(value as Record<string, unknown>), fromRun: (value as { fromRun?: string }).fromRun ?? previous.date };
    }
  }
}
writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
console.log(`wrote ${file}`);
