/**
 * PoC engine speed: nonces/s of the CPU and WebGPU backends on the `small` shape of poc.json and on
 * a V2-shaped model cut to 2 layers, against a float32 numpy reference of the same model run in the
 * same process tree (bench/poc_reference.py, written from the spec). Optionally (POC_BENCH_FLIPS=N)
 * the float16-weight WebGPU path's distance error and r_target flips over N nonces of `small`.
 *
 * The CPU backend is measured as the engine uses it (WebAssembly SIMD on worker threads, default
 * worker count), and on `small` also with its plain-JavaScript kernels (what a page whose CSP
 * refuses WebAssembly gets) and the float64 TypeScript reference. The machine's load average is
 * recorded around each measurement: on a shared machine, compare figures within one run.
 *
 *   npx tsx bench/poc.ts                 # small + V2x2 (skip the V2x2 CPU run: POC_BENCH_V2_CPU=0)
 *   POC_BENCH_CPU_JS=0 …                 # skip the slow JavaScript-kernel and reference CPU runs
 *   POC_BENCH_ROUNDS=3 …                 # numpy and CPU alternately on `small`, best of each (default 3)
 *   POC_BENCH_GPU=0 …                    # skip WebGPU (its last figures are kept, marked with their run)
 *   POC_BENCH_FLIPS=2000 npx tsx bench/poc.ts
 *
 * Writes bench/results/poc.json.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  createCpuBackend, createPocEngine, createReferenceCpuBackend, createWebGpuBackend, derivePocShape, float16ArrayToFloat32,
  initWeights, POC_PARAMS_V2, pocInputs, pocParamsToWire, probeWebGpu, type PocBackend, type PocParamsWire, type PocWeightSource,
} from "../src/poc/index.js";

const here = import.meta.dirname;
const fixture = JSON.parse(readFileSync(join(here, "..", "test", "fixtures", "poc.json"), "utf8")) as {
  cases: { name: string; params: PocParamsWire; blockHash: string; publicKey: string }[];
};
const R_TARGET = 1.4013564660458173;

interface Shape { name: string; params: PocParamsWire; blockHash: string; publicKey: string }
const small: Shape = fixture.cases.find((c) => c.name === "small")!;
const v2x2: Shape = { name: "v2x2", params: { ...pocParamsToWire(POC_PARAMS_V2), n_layers: 2 }, blockHash: "BENCHV2X2", publicKey: "bench" };

function numpy(args: string[], threads?: number): Record<string, unknown> | null {
  const env = threads ? { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) } : process.env;
  const r = spawnSync("python3", [join(here, "poc_reference.py"), ...args], { encoding: "utf8", maxBuffer: 1 << 26, env });
  if (r.status !== 0) {
    console.error(`numpy reference failed: ${r.stderr.slice(-500)}`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
}

function inputsFor(s: Shape, count: number): Float32Array {
  const shape = derivePocShape(s.params);
  const per = shape.seqLen * shape.dim;
  const bits = new Uint16Array(count * per);
  for (let i = 0; i < count; i++) pocInputs(s.blockHash, s.publicKey, i, shape.seqLen, shape.dim, bits.subarray(i * per, (i + 1) * per));
  return float16ArrayToFloat32(bits);
}

/** Forward passes of `batch` nonces until `seconds` have passed (after one warm-up); nonces/s. */
async function forwardRate(backend: PocBackend, inputs: Float32Array, batch: number, seconds: number, warm = true): Promise<{ nonces: number; seconds: number; noncesPerSecond: number }> {
  if (warm) await backend.forward(inputs, batch);
  let n = 0;
  const t0 = performance.now();
  do {
    await backend.forward(inputs, batch);
    n += batch;
  } while ((performance.now() - t0) / 1000 < seconds);
  const dt = (performance.now() - t0) / 1000;
  return { nonces: n, seconds: dt, noncesPerSecond: n / dt };
}

/** The 1-minute load average (runnable processes), rounded. */
const load = (): number => Math.round(loadavg()[0] * 100) / 100;

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, availableParallelism: availableParallelism(), cpu: cpus()[0]?.model, node: process.version },
  loadAtStart: load(),
  note: "nonces/s of the forward pass (inputs prepared beforehand), as the numpy reference measures it; endToEnd includes input generation, permutation and distance",
};
const probe = await probeWebGpu();
// POC_BENCH_GPU=0 skips the WebGPU runs (on a shared machine, software Vulkan takes many minutes).
const gpu = process.env.POC_BENCH_GPU === "0" ? { ...probe, available: false, reason: "skipped (POC_BENCH_GPU=0)" } : probe;
results.webgpu = gpu;
console.log(`WebGPU: ${gpu.available ? gpu.adapterName : `unavailable (${"reason" in gpu ? gpu.reason : ""})`}`);

/**
 * Matmul FLOPs of one nonce: the reference runs every position through every layer; the engine
 * stops all but the last position after the last layer's keys and values.
 */
function flopsPerNonce(p: PocParamsWire): { reference: number; engine: number } {
  const s = derivePocShape(p);
  const qw = s.nHeads * s.headDim, kw = s.nKvHeads * s.headDim;
  const kv = 2 * s.dim * kw;
  const rest = s.dim * qw + qw * s.dim + 3 * s.dim * s.hidden;
  const out = s.dim * s.vocab;
  return {
    reference: 2 * (s.nLayers * s.seqLen * (kv + rest) + out),
    engine: 2 * ((s.nLayers - 1) * s.seqLen * (kv + rest) + s.seqLen * kv + rest + out),
  };
}

interface BenchOptions {
  seconds: number; gpuBatch: number; cpu: boolean; cpuBatch: number; cpuSlow: boolean; numpyArgs: string[];
  /** Rounds of (numpy, CPU backend) run alternately; the best of each counts (load on a shared machine only slows). */
  rounds: number;
  /** Also compare one thread each (numpy with OPENBLAS_NUM_THREADS=1, the CPU backend with one worker). */
  singleThread?: boolean;
}

async function benchShape(s: Shape, o: BenchOptions): Promise<Record<string, unknown>> {
  const flops = flopsPerNonce(s.params);
  const out: Record<string, unknown> = { params: s.params, matmulGflopPerNonce: { reference: flops.reference / 1e9, engine: flops.engine / 1e9 } };
  const gflops = (rate: number, f: number): number => (rate * f) / 1e9;
  console.log(`\n== ${s.name}`);
  const shape = derivePocShape(s.params);
  let t = performance.now();
  const weights: PocWeightSource = initWeights(s.params, s.blockHash);
  out.weightInitSeconds = (performance.now() - t) / 1000;
  const inputs = inputsFor(s, Math.max(o.gpuBatch, o.cpuBatch));
  // The CPU backend as the engine runs it: WebAssembly SIMD kernels on the default number of worker threads.
  t = performance.now();
  const cpu = o.cpu ? createCpuBackend(shape, weights, { preferredBatch: o.cpuBatch }) : null;
  const status = await cpu?.ready();
  const cpuLoadSeconds = (performance.now() - t) / 1000;
  const numpyRuns: Record<string, unknown>[] = [];
  const cpuRuns: { nonces: number; seconds: number; noncesPerSecond: number; load: { before: number; after: number } }[] = [];
  for (let round = 0; round < o.rounds; round++) {
    let before = load();
    const ref = numpy(["--bench", s.name, ...o.numpyArgs]);
    if (ref) numpyRuns.push({ ...ref, load: { before, after: load() } });
    console.log(`round ${round + 1}: numpy ${(ref?.nonces_per_s as number | undefined)?.toFixed(3)} nonces/s (load ${before})`);
    if (cpu) {
      before = load();
      const r = await forwardRate(cpu, inputs, o.cpuBatch, o.seconds, round === 0 && o.seconds > 2);
      cpuRuns.push({ ...r, load: { before, after: load() } });
      console.log(`round ${round + 1}: cpu ${r.noncesPerSecond.toFixed(3)} nonces/s (load ${before})`);
    }
  }
  cpu?.destroy();
  const best = <T extends Record<string, unknown>>(runs: T[], key: string): T | undefined =>
    runs.reduce<T | undefined>((b, r) => (b === undefined || (r[key] as number) > (b[key] as number) ? r : b), undefined);
  if (o.singleThread) {
    // One core each, alternately: less sensitive to other jobs than two threads (OpenBLAS threads spin).
    const one = createCpuBackend(shape, weights, { preferredBatch: o.cpuBatch, threads: 1 });
    await one.ready();
    const np1: number[] = [], cpu1: number[] = [], loads: number[] = [];
    for (let round = 0; round < o.rounds; round++) {
      loads.push(load());
      const ref1 = numpy(["--bench", s.name, ...o.numpyArgs], 1);
      if (ref1) np1.push(ref1.nonces_per_s as number);
      cpu1.push((await forwardRate(one, inputs, o.cpuBatch, o.seconds, round === 0)).noncesPerSecond);
      console.log(`round ${round + 1}, one thread each: numpy ${np1.at(-1)?.toFixed(3)}, cpu ${cpu1.at(-1)?.toFixed(3)} nonces/s (load ${loads.at(-1)})`);
    }
    one.destroy();
    const a = Math.max(...np1), b = Math.max(...cpu1);
    out.singleThread = { numpyNoncesPerSecond: a, cpuNoncesPerSecond: b, vsNumpy: b / a, rounds: np1.map((n, i) => ({ numpy: n, cpu: cpu1[i], load: loads[i] })) };
    console.log(`one thread each (best of ${o.rounds}): numpy ${a.toFixed(3)}, cpu ${b.toFixed(3)} nonces/s (${(b / a).toFixed(3)}x)`);
  }
  const cpuBest = cpuRuns.length ? Math.max(...cpuRuns.map((x) => x.noncesPerSecond)) : NaN;
  const single = out.singleThread as { numpyNoncesPerSecond: number } | undefined;
  const numpyBest = Math.max(...numpyRuns.map((x) => x.nonces_per_s as number), single?.numpyNoncesPerSecond ?? 0);
  // The strictest comparison: the CPU backend's default against numpy's best configuration of the run.
  out.cpuVsBestNumpy = { cpuNoncesPerSecond: cpuBest, numpyBestNoncesPerSecond: numpyBest, ratio: cpuBest / numpyBest };
  const ref = best(numpyRuns, "nonces_per_s");
  const refRate = (ref?.nonces_per_s as number | undefined) ?? NaN;
  out.numpy = ref && { ...ref, gflops: gflops(refRate, flops.reference), rounds: numpyRuns.map((r) => ({ noncesPerSecond: r.nonces_per_s, load: r.load })) };
  console.log(`numpy float32 reference (best of ${numpyRuns.length}): ${refRate.toFixed(3)} nonces/s (${gflops(refRate, flops.reference).toFixed(1)} GFLOP/s)`);
  const rate = (r: { noncesPerSecond: number }): Record<string, number> => ({
    vsNumpy: r.noncesPerSecond / refRate, gflops: gflops(r.noncesPerSecond, flops.engine),
    gflopsVsNumpy: (r.noncesPerSecond * flops.engine) / (refRate * flops.reference),
  });
  const r = best(cpuRuns, "noncesPerSecond");
  if (cpu && r) {
    out.cpu = {
      ...r, ...rate(r), batch: o.cpuBatch, ...status, description: cpu.description, loadSeconds: cpuLoadSeconds,
      rounds: cpuRuns.map((x) => ({ noncesPerSecond: x.noncesPerSecond, load: x.load })),
    };
    console.log(`cpu (best of ${cpuRuns.length}): ${r.noncesPerSecond.toFixed(3)} nonces/s (${(r.noncesPerSecond / refRate).toFixed(3)}x numpy) — ${cpu.description}`);
  }
  if (o.cpuSlow) {
    // The plain-JavaScript kernels (a CSP without 'wasm-unsafe-eval') and the float64 reference, briefly.
    for (const [key, b] of [
      ["cpuJavaScript", createCpuBackend(shape, weights, { kernels: "js" })],
      ["cpuReference", createReferenceCpuBackend(shape, weights)],
    ] as const) {
      const loadBefore = load();
      const r = await forwardRate(b, inputs, 2, 1, false);
      out[key] = { ...r, ...rate(r), batch: 2, description: b.description, load: { before: loadBefore, after: load() } };
      console.log(`${key}: ${r.noncesPerSecond.toFixed(3)} nonces/s (${(r.noncesPerSecond / refRate).toFixed(3)}x numpy) — ${b.description}`);
      b.destroy();
    }
  }
  if (gpu.available) {
    for (const precision of ["f32", "f16"] as const) {
      if (precision === "f16" && !gpu.hasF16) continue;
      t = performance.now();
      const b = await createWebGpuBackend(shape, weights, { precision, batchSize: o.gpuBatch });
      const upload = (performance.now() - t) / 1000;
      const r = await forwardRate(b, inputs, o.gpuBatch, o.seconds);
      out[`webgpu_${precision}`] = {
        ...r, vsNumpy: r.noncesPerSecond / refRate, gflops: gflops(r.noncesPerSecond, flops.engine),
        gflopsVsNumpy: (r.noncesPerSecond * flops.engine) / (refRate * flops.reference),
        uploadSeconds: upload, description: b.description, weightBytes: b.weightBytes,
      };
      console.log(`webgpu ${precision}: ${r.noncesPerSecond.toFixed(3)} nonces/s (${(r.noncesPerSecond / refRate).toFixed(3)}x numpy) — ${b.description}`);
      b.destroy();
    }
  }
  return out;
}

const cpuSlow = process.env.POC_BENCH_CPU_JS !== "0";
const rounds = Number(process.env.POC_BENCH_ROUNDS ?? 3);
results.small = await benchShape(small, {
  seconds: 5, gpuBatch: 8, cpu: true, cpuBatch: 8, cpuSlow, rounds, singleThread: true, numpyArgs: ["--seconds", "5", "--batch", "8"],
});
{
  // End to end on small (inputs, permutation and distance included): the CPU engine, and WebGPU f32 when available.
  for (const backend of gpu.available ? (["cpu", "webgpu"] as const) : (["cpu"] as const)) {
    const engine = await createPocEngine({ params: small.params, blockHash: small.blockHash, publicKey: small.publicKey, backend, precision: "f32" });
    const nonces = Array.from({ length: 32 }, (_, i) => i);
    await engine.distances(nonces.slice(0, 8));
    const loadBefore = load();
    const t = performance.now();
    await engine.distances(nonces);
    const s = (performance.now() - t) / 1000;
    const key = backend === "cpu" ? "endToEndCpu" : "endToEnd";
    (results.small as Record<string, unknown>)[key] = { backend: engine.backend.description, nonces: 32, noncesPerSecond: 32 / s, load: { before: loadBefore, after: load() } };
    console.log(`end to end (${engine.backend.description}): ${(32 / s).toFixed(3)} nonces/s`);
    engine.destroy();
  }
}

results.v2x2 = await benchShape(v2x2, {
  seconds: 1, gpuBatch: 2, cpu: process.env.POC_BENCH_V2_CPU !== "0", cpuBatch: 1, cpuSlow: false, rounds: 1, numpyArgs: ["--nonces", "2", "--batch", "2"],
});

const flips = Number(process.env.POC_BENCH_FLIPS ?? 0);
if (flips > 0 && gpu.available && gpu.hasF16) {
  console.log(`\n== float16 weights vs the float32 numpy reference over ${flips} nonces of small`);
  const cache = join(tmpdir(), `gonka-poc-ref-small-${flips}.json`);
  if (!existsSync(cache)) {
    const r = spawnSync("python3", [join(here, "poc_reference.py"), "--distances", "small", String(flips)], { encoding: "utf8", maxBuffer: 1 << 26 });
    writeFileSync(cache, r.stdout);
  }
  const ref = JSON.parse(readFileSync(cache, "utf8")) as number[];
  const engine = await createPocEngine({ params: small.params, blockHash: small.blockHash, publicKey: small.publicKey, backend: "webgpu", precision: "f16" });
  const got = await engine.distances(Array.from({ length: flips }, (_, i) => i));
  engine.destroy();
  let maxErr = 0, flipped = 0, valid = 0;
  for (let i = 0; i < flips; i++) {
    maxErr = Math.max(maxErr, Math.abs(got[i] - ref[i]));
    if ((got[i] < R_TARGET) !== (ref[i] < R_TARGET)) flipped++;
    if (ref[i] < R_TARGET) valid++;
  }
  results.f16Flips = { nonces: flips, validInReference: valid, maxAbsDistanceError: maxErr, flips: flipped, flipRate: flipped / flips, toleratedMismatchRate: 5e-4 };
  console.log(`max |dist error| ${maxErr.toExponential(2)}, ${flipped} flips of ${flips} (${valid} valid in the reference)`);
}

results.loadAtEnd = load();
mkdirSync(join(here, "results"), { recursive: true });
const file = join(here, "results", "poc.json");
const previous = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
if (!results.f16Flips && previous.f16Flips) results.f16Flips = previous.f16Flips;
// WebGPU not measured (no adapter, or POC_BENCH_GPU=0): keep the last figures, marked with the run they come from.
if (!gpu.available) {
  for (const shape of ["small", "v2x2"] as const) {
    const prev = previous[shape] as Record<string, unknown> | undefined;
    const cur = results[shape] as Record<string, unknown>;
    for (const key of ["webgpu_f32", "webgpu_f16", "endToEnd"]) {
      const v = prev?.[key] as Record<string, unknown> | undefined;
      if (v) cur[key] = { ...v, fromRun: v.fromRun ?? previous.date, note: "not measured in this run; compare only with numpy of that run (numpyOfWebGpuRun)" };
    }
    if (prev?.numpy && cur.webgpu_f32) cur.numpyOfWebGpuRun = (prev.numpyOfWebGpuRun as unknown) ?? prev.numpy;
  }
  if (previous.webgpu && (previous.webgpu as { available?: boolean }).available) results.webgpuOfPreviousRun = previous.webgpuOfPreviousRun ?? previous.webgpu;
}
writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
console.log(`\nwrote ${file}`);
