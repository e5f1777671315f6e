/**
 * The CPU backend: the PoC forward pass as WebAssembly SIMD kernels on worker threads (Node
 * `worker_threads`, browser Web Workers), with the model split by outputs between the workers.
 * Where WebAssembly is refused (a Content-Security-Policy without `'wasm-unsafe-eval'`) the same
 * kernels run in plain JavaScript on the calling thread with bit-identical results; where workers
 * cannot start, the WebAssembly kernels run on the calling thread. On the calling thread the
 * work is sliced so timers and I/O keep running.
 *
 * Results are identical whatever the number of workers and whichever of these paths runs; they
 * differ from the float64-accumulating reference (`kernels: "reference"`) only by float32
 * rounding (distances agree to ~1e-7).
 */
import { InvalidArgumentError } from "../../../errors.js";
import { compileWasm, instantiateWasm, isWasmUnavailable, warnJavaScriptFallback, type WasmCompiled, type WasmUnavailable } from "../../rng/wasm-support.js";
import { ropeTables } from "../../rope.js";
import type { PocShape } from "../../shape.js";
import { fetchParameter, layerParameterNames, type PocWeightSource } from "../../weights.js";
import type { PocBackend } from "../types.js";
import { hardwareThreads, LocalExecutor, WorkerExecutor, type Command, type Executor } from "./executor.js";
import { createJsCpuKernels } from "./js-kernels.js";
import {
  headRange, maxShards, planActivations, planShard, shardRanges, type ActivationOffsets, type Range, type ShardPlan,
} from "./plan.js";
import { createReferenceCpuBackend } from "./reference.js";
import { cpuKernelBytes, PANEL, type CpuKernelExports } from "./wasm-kernels.js";

export { createReferenceCpuBackend } from "./reference.js";

/** Options of {@link createCpuBackend}. */
export interface CpuBackendOptions {
  /** Nonces per `forward` call the engine should use (default: about 256 sequence rows, 1–16 nonces). */
  preferredBatch?: number;
  /**
   * Worker threads (default: the machine's logical CPUs, capped by what the shape can use; none
   * for models under 20 MFLOP per nonce). `0` computes on the calling thread.
   */
  threads?: number;
  /**
   * `"auto"` (default): WebAssembly SIMD, or plain JavaScript where WebAssembly is refused.
   * `"js"`: the plain-JavaScript kernels on the calling thread (what a strict CSP gets).
   * `"reference"`: the float64-accumulating TypeScript oracle on the calling thread.
   */
  kernels?: "auto" | "js" | "reference";
}

/** What a CPU backend runs on, once loaded. */
export interface CpuBackendStatus {
  /** `"wasm-simd"`, `"js"` (WebAssembly refused or `kernels: "js"`) or `"reference"`. */
  kernels: "wasm-simd" | "js" | "reference";
  /** Worker threads in use (0: the calling thread). */
  workers: number;
  /** Why the preferred path (WebAssembly, workers) is not used, if it is not. */
  reason?: string;
}

/** The CPU {@link PocBackend}, with its load status. */
export interface CpuBackend extends PocBackend {
  readonly kind: "cpu";
  /** Loads the weights (if not yet loaded) and tells which kernels and how many workers run them. */
  ready(): Promise<CpuBackendStatus>;
  /** Worker threads alive now: 0 before loading, after `destroy()`, and after an abort until the next call. */
  readonly liveWorkers: number;
}

/** Matmul FLOPs of one nonce (all positions, every layer), to size the default worker count. */
function flopsPerNonce(s: PocShape): number {
  const qw = s.nHeads * s.headDim, kw = s.nKvHeads * s.headDim;
  return 2 * (s.nLayers * s.seqLen * (s.dim * (qw + 2 * kw) + qw * s.dim + 3 * s.dim * s.hidden) + s.dim * s.vocab);
}

/**
 * The default worker count for a shape on a machine with `cores` logical CPUs: at most one per
 * core and per kv head, and one per ~20 MFLOP of work per nonce. Models under 20 MFLOP per nonce
 * (test shapes) get none: they run on the calling thread, where a nonce takes microseconds and
 * no worker has to start.
 */
export function defaultCpuThreads(shape: PocShape, cores: number): number {
  const work = flopsPerNonce(shape);
  if (work < 20e6) return 0;
  return Math.max(1, Math.min(cores, maxShards(shape), Math.ceil(work / 20e6)));
}

let compiled: WasmCompiled | WasmUnavailable | undefined;
/** Set when workers could not start in this realm (e.g. a CSP blocking `blob:` workers): not retried. */
let workersRefused: string | undefined;
let moduleBytes: Uint8Array<ArrayBuffer> | undefined;

/** The compiled CPU kernel module of this realm, or why WebAssembly cannot be used. */
function cpuModule(): WasmCompiled | WasmUnavailable {
  if (!compiled) {
    moduleBytes = cpuKernelBytes();
    compiled = compileWasm(moduleBytes, "the PoC CPU kernels");
  }
  return compiled;
}

/**
 * Which kernels the CPU backend gets in this realm: `{ kernels: "wasm-simd" }`, or
 * `{ kernels: "js", reason }` where WebAssembly (or its SIMD) is unavailable — e.g. a
 * Content-Security-Policy without `'wasm-unsafe-eval'`.
 *
 * @example
 * ```ts
 * if (cpuKernelInfo().kernels === "js") console.log("PoC CPU kernels run in plain JavaScript");
 * ```
 */
export function cpuKernelInfo(): { kernels: "wasm-simd" | "js"; reason?: string } {
  const m = cpuModule();
  return m.ok ? { kernels: "wasm-simd" } : { kernels: "js", reason: m.reason };
}

interface Shard {
  exec: Executor;
  plan: ShardPlan;
}

interface Runtime {
  shards: Shard[];
  status: CpuBackendStatus;
}

const np = (n: number): number => Math.ceil(n / PANEL);
const width = (r: Range): number => r[1] - r[0];

/** Copies `parts` (row-major `[rows, width(range)]`) into the columns `range` of a `[rows, total]` array. */
function gatherColumns(parts: Float32Array[], ranges: Range[], rows: number, total: number): Float32Array {
  if (parts.length === 1) return parts[0];
  const out = new Float32Array(rows * total);
  parts.forEach((p, i) => {
    const [c0, c1] = ranges[i];
    const w = c1 - c0;
    for (let r = 0; r < rows; r++) out.set(p.subarray(r * w, (r + 1) * w), r * total + c0);
  });
  return out;
}

/**
 * Creates the CPU {@link PocBackend}. Weights are loaded into the workers in the background
 * (`ready()` waits for it); `destroy()` terminates the workers.
 *
 * @example
 * ```ts
 * const cpu = createCpuBackend(derivePocShape(params), initWeights(params, blockHash), { threads: 4 });
 * console.log(await cpu.ready());             // { kernels: "wasm-simd", workers: 4 }
 * const logits = await cpu.forward(inputs, 8); // [8, vocab_size]
 * cpu.destroy();
 * ```
 */
export function createCpuBackend(shape: PocShape, weights: PocWeightSource, options: CpuBackendOptions = {}): CpuBackend {
  const kernels = options.kernels ?? "auto";
  if (kernels !== "auto" && kernels !== "js" && kernels !== "reference") {
    throw new InvalidArgumentError("kernels", `must be "auto", "js" or "reference", got ${String(kernels)}`);
  }
  if (options.threads !== undefined && (!Number.isSafeInteger(options.threads) || options.threads < 0)) {
    throw new InvalidArgumentError("threads", "must be an integer ≥ 0");
  }
  const preferredBatch = options.preferredBatch ?? Math.max(1, Math.min(16, Math.round(256 / shape.seqLen)));
  if (kernels === "reference") {
    const ref = createReferenceCpuBackend(shape, weights, { preferredBatch });
    return {
      ...ref, kind: "cpu", forward: ref.forward, destroy: ref.destroy, liveWorkers: 0,
      ready: () => Promise.resolve({ kernels: "reference", workers: 0 }),
    };
  }

  const { cos, sin } = ropeTables(shape);
  let runtime: Promise<Runtime> | null = null;
  let current: Runtime | null = null;
  let destroyed = false;
  let queue: Promise<unknown> = Promise.resolve();
  let description = "cpu (loading)";

  const stop = (rt: Runtime | null): void => {
    for (const s of rt?.shards ?? []) s.exec.destroy();
  };

  /** Loads one layer's (or the head's) weights into every shard. */
  const loadWeights = async (shards: Shard[]): Promise<void> => {
    const { dim, hidden, headDim: hd } = shape;
    const qw = shape.nHeads * hd;
    const names = Array.from({ length: shape.nLayers }, (_, l) => layerParameterNames(l));
    const copy = (a: Float32Array, ex: Executor): Float32Array => (ex.where === "worker" ? a.slice() : a);
    for (let l = 0; l <= shape.nLayers; l++) {
      const get = (name: string): Float32Array => fetchParameter(weights, shape, name);
      const mats: { w: Float32Array; k: number; rows: (s: Shard) => Range; dst: (s: Shard) => number }[] = [];
      const vecs: { w: Float32Array; dst: (s: Shard) => number }[] = [];
      if (l < shape.nLayers) {
        const n = names[l];
        const L = (s: Shard) => s.plan.layers[l];
        const heads = (s: Shard): Range => headRange(shape, s.plan.ranges).map((h) => h * hd) as unknown as Range;
        const kv = (s: Shard): Range => s.plan.ranges.kv.map((h) => h * hd) as unknown as Range;
        vecs.push({ w: get(n.attentionNorm), dst: (s) => L(s).attentionNorm }, { w: get(n.ffnNorm), dst: (s) => L(s).ffnNorm });
        mats.push(
          { w: get(n.wq), k: dim, rows: heads, dst: (s) => L(s).wq },
          { w: get(n.wk), k: dim, rows: kv, dst: (s) => L(s).wk },
          { w: get(n.wv), k: dim, rows: kv, dst: (s) => L(s).wv },
          { w: get(n.wo), k: qw, rows: (s) => s.plan.ranges.dim, dst: (s) => L(s).wo },
          { w: get(n.w1), k: dim, rows: (s) => s.plan.ranges.hidden, dst: (s) => L(s).w1 },
          { w: get(n.w3), k: dim, rows: (s) => s.plan.ranges.hidden, dst: (s) => L(s).w3 },
          { w: get(n.w2), k: hidden, rows: (s) => s.plan.ranges.dim, dst: (s) => L(s).w2 },
        );
      } else {
        vecs.push({ w: get("norm.weight"), dst: (s) => s.plan.norm }, { w: cos, dst: (s) => s.plan.cos }, { w: sin, dst: (s) => s.plan.sin });
        mats.push({ w: get("output.weight"), k: dim, rows: (s) => s.plan.ranges.vocab, dst: (s) => s.plan.output });
      }
      await Promise.all(shards.map((s) => {
        const staging = s.plan.weightsEnd;
        // Room for the weights, the staging area and a preferred batch's activations, in one growth.
        const cmds: Command[] = [["grow", Math.max(staging + s.plan.stagingBytes, planActivations(shape, s.plan, preferredBatch).end)]];
        for (const v of vecs) cmds.push(["write", v.dst(s), copy(v.w, s.exec)]);
        for (const m of mats) {
          const [r0, r1] = m.rows(s);
          cmds.push(["write", staging, m.w.slice(r0 * m.k, r1 * m.k)]);
          cmds.push(["call", "pack_weights", staging, m.k, r1 - r0, m.dst(s)]);
        }
        return s.exec.run(cmds);
      }));
    }
  };

  const start = async (): Promise<Runtime> => {
    const mod = kernels === "js" ? null : cpuModule();
    let reason: string | undefined;
    if (mod && !mod.ok) {
      warnJavaScriptFallback(mod);
      reason = mod.reason;
    }
    const execs: Executor[] = [];
    let status: CpuBackendStatus;
    if (mod?.ok) {
      const threads = options.threads ?? defaultCpuThreads(shape, await hardwareThreads());
      const n = Math.min(threads, maxShards(shape));
      if (n > 0 && workersRefused) {
        reason = workersRefused;
      } else if (n > 0) {
        const started = await Promise.allSettled(Array.from({ length: n }, () => WorkerExecutor.start(moduleBytes!)));
        for (const r of started) if (r.status === "fulfilled") execs.push(r.value);
        const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed) {
          for (const e of execs) e.destroy();
          execs.length = 0;
          reason = `worker threads unavailable (${failed.reason instanceof Error ? failed.reason.message : String(failed.reason)}); computing on the calling thread`;
          workersRefused = reason;
        }
      }
      if (execs.length === 0) {
        const inst = instantiateWasm(mod, {}, "the PoC CPU kernels");
        if (isWasmUnavailable(inst)) {
          warnJavaScriptFallback(inst);
          reason = inst.reason;
          execs.push(new LocalExecutor(createJsCpuKernels()));
          status = { kernels: "js", workers: 0, reason };
        } else {
          execs.push(new LocalExecutor(inst as unknown as CpuKernelExports));
          status = { kernels: "wasm-simd", workers: 0, ...(reason ? { reason } : {}) };
        }
      } else {
        status = { kernels: "wasm-simd", workers: execs.length };
      }
    } else {
      execs.push(new LocalExecutor(createJsCpuKernels()));
      status = { kernels: "js", workers: 0, ...(reason ? { reason } : {}) };
    }
    const ranges = shardRanges(shape, execs.length);
    const shards = execs.map((exec, i) => ({ exec, plan: planShard(shape, ranges[i]) }));
    try {
      await loadWeights(shards);
    } catch (e) {
      stop({ shards, status });
      throw e;
    }
    const where = status.workers > 0 ? `${status.workers} worker thread${status.workers > 1 ? "s" : ""}` : "calling thread";
    description = `cpu (${status.kernels === "js" ? "JavaScript" : "WebAssembly SIMD"}, float32, ${where})`;
    return { shards, status };
  };

  const ensure = (): Promise<Runtime> => {
    if (destroyed) return Promise.reject(new Error("backend destroyed"));
    if (!runtime) {
      runtime = start().then((rt) => {
        if (destroyed) {
          stop(rt);
          throw new Error("backend destroyed");
        }
        current = rt;
        return rt;
      });
      runtime.catch(() => { runtime = null; });
    }
    return runtime;
  };

  const forwardNow = async (rt: Runtime, inputs: Float32Array, count: number, signal?: AbortSignal): Promise<Float32Array> => {
    const { dim, seqLen: seq, headDim: hd, hidden, vocab, normEps: eps } = shape;
    const qw = shape.nHeads * hd;
    const rows = count * seq;
    const { shards } = rt;
    const acts: ActivationOffsets[] = shards.map((s) => planActivations(shape, s.plan, count));
    const data = (a: Float32Array, s: Shard): Float32Array => (s.exec.where === "worker" ? a.slice() : a);
    const stage = (build: (s: Shard, a: ActivationOffsets, i: number) => Command[]): Promise<Float32Array[]> =>
      Promise.all(shards.map((s, i) => s.exec.run(build(s, acts[i], i), signal))).then((outs) => outs.map((o) => o[0]));
    const headCols = shards.map((s) => headRange(shape, s.plan.ranges).map((h) => h * hd) as unknown as Range);
    const dimCols = shards.map((s) => s.plan.ranges.dim);
    const hiddenCols = shards.map((s) => s.plan.ranges.hidden);

    let x = inputs.length === rows * dim ? inputs : inputs.subarray(0, rows * dim);
    for (let l = 0; l < shape.nLayers; l++) {
      const last = l === shape.nLayers - 1;
      const rowsOut = last ? count : rows;
      const from = last ? seq - 1 : 0;
      const xl = x;
      const att = await stage((s, a) => {
        const L = s.plan.layers[l];
        const kS = width(s.plan.ranges.kv) * hd, heads = width(headRange(shape, s.plan.ranges)), qS = heads * hd;
        const cmds: Command[] = [];
        if (l === 0) cmds.push(["grow", Math.max(a.end, s.plan.weightsEnd + s.plan.stagingBytes)]);
        cmds.push(
          ["write", a.x, data(xl, s)],
          ["call", "rmsnorm", a.x, rows, dim, L.attentionNorm, eps, a.n],
          ["call", "pack_rows", a.n, dim, rows, dim, a.xp],
          ["call", "matmul", a.xp, rows, dim, L.wk, kS, a.k, kS, 0, 0, 0, np(kS)],
          ["call", "matmul", a.xp, rows, dim, L.wv, kS, a.v, kS, 0, 0, 0, np(kS)],
          ["call", "rope", a.k, rows, kS / hd, hd, seq, 0, s.plan.cos, s.plan.sin],
        );
        if (last) cmds.push(["call", "gather_last", a.n, count, seq, dim, a.nq], ["call", "pack_rows", a.nq, dim, count, dim, a.xp]);
        cmds.push(
          ["call", "matmul", a.xp, rowsOut, dim, L.wq, qS, a.q, qS, 0, 0, 0, np(qS)],
          ["call", "rope", a.q, rowsOut, heads, hd, seq - from, from, s.plan.cos, s.plan.sin],
          ["call", "attention", a.q, a.k, a.v, count, seq, from, heads, kS / hd, hd, a.att, a.scores],
          ["read", a.att, rowsOut * qS],
        );
        return cmds;
      });
      const attFull = gatherColumns(att, headCols, rowsOut, qw);
      const hParts = await stage((s, a) => {
        const L = s.plan.layers[l];
        const [d0, d1] = s.plan.ranges.dim;
        const cmds: Command[] = [["write", a.input, data(attFull, s)]];
        if (last) cmds.push(["call", "gather_last", a.x, count, seq, dim, a.xr]);
        cmds.push(
          ["call", "pack_rows", a.input, qw, rowsOut, qw, a.xp],
          ["call", "matmul", a.xp, rowsOut, qw, L.wo, d1 - d0, a.out, d1 - d0, (last ? a.xr : a.x) + 4 * d0, dim, 0, np(d1 - d0)],
          ["read", a.out, rowsOut * (d1 - d0)],
        );
        return cmds;
      });
      const h = gatherColumns(hParts, dimCols, rowsOut, dim);
      const gParts = await stage((s, a) => {
        const L = s.plan.layers[l];
        const hS = width(s.plan.ranges.hidden);
        return [
          ["write", a.h, data(h, s)],
          ["call", "rmsnorm", a.h, rowsOut, dim, L.ffnNorm, eps, a.n],
          ["call", "pack_rows", a.n, dim, rowsOut, dim, a.xp],
          ["call", "matmul", a.xp, rowsOut, dim, L.w1, hS, a.g1, hS, 0, 0, 0, np(hS)],
          ["call", "matmul", a.xp, rowsOut, dim, L.w3, hS, a.g3, hS, 0, 0, 0, np(hS)],
          ["call", "silu_gate", a.g1, a.g3, rowsOut * hS],
          ["read", a.g1, rowsOut * hS],
        ];
      });
      const g = gatherColumns(gParts, hiddenCols, rowsOut, hidden);
      const xParts = await stage((s, a) => {
        const L = s.plan.layers[l];
        const [d0, d1] = s.plan.ranges.dim;
        return [
          ["write", a.input, data(g, s)],
          ["call", "pack_rows", a.input, hidden, rowsOut, hidden, a.xp],
          ["call", "matmul", a.xp, rowsOut, hidden, L.w2, d1 - d0, a.out, d1 - d0, a.h + 4 * d0, dim, 0, np(d1 - d0)],
          ["read", a.out, rowsOut * (d1 - d0)],
        ];
      });
      x = gatherColumns(xParts, dimCols, rowsOut, dim);
    }
    const xf = x;
    const logits = await stage((s, a) => {
      const vS = width(s.plan.ranges.vocab);
      return [
        ["write", a.x, data(xf, s)],
        ["call", "rmsnorm", a.x, count, dim, s.plan.norm, eps, a.n],
        ["call", "pack_rows", a.n, dim, count, dim, a.xp],
        ["call", "matmul", a.xp, count, dim, s.plan.output, vS, a.out, vS, 0, 0, 0, np(vS)],
        ["read", a.out, count * vS],
      ];
    });
    return gatherColumns(logits, shards.map((s) => s.plan.ranges.vocab), count, vocab);
  };

  return {
    kind: "cpu",
    shape,
    precision: "f32",
    preferredBatch,
    get description() {
      return description;
    },
    get liveWorkers() {
      return current?.shards.filter((s) => s.exec.where === "worker" && s.exec.alive).length ?? 0;
    },
    ready: () => ensure().then((rt) => ({ ...rt.status })),
    forward(inputs, count, opts) {
      if (destroyed) return Promise.reject(new Error("backend destroyed"));
      if (!Number.isSafeInteger(count) || count < 0) return Promise.reject(new InvalidArgumentError("count", "must be an integer ≥ 0"));
      if (inputs.length < count * shape.seqLen * shape.dim) {
        return Promise.reject(new InvalidArgumentError("inputs", `has ${inputs.length} values, needs ${count * shape.seqLen * shape.dim}`));
      }
      const signal = opts?.signal;
      // One forward pass at a time: the shards' activation memory is shared between calls.
      const run = queue.then(async () => {
        if (count === 0) return new Float32Array(0);
        if (signal?.aborted) throw signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
        const rt = await ensure();
        try {
          return await forwardNow(rt, inputs, count, signal);
        } catch (e) {
          // An aborted or failed worker is gone: start afresh on the next call.
          if (rt.shards.some((s) => s.exec.where === "worker")) {
            stop(rt);
            if (current === rt) {
              current = null;
              runtime = null;
            }
          }
          throw e;
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      stop(current);
      current = null;
      runtime = null;
    },
  };
}
