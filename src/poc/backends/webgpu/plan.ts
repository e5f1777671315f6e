/**
 * The forward pass of a batch of nonces as a fixed list of dispatches (built once per batch size
 * and replayed): buffers, uniforms, bind groups and kernel variants chosen for the adapter.
 */
import { InvalidArgumentError } from "../../../errors.js";
import { GpuError } from "../../errors.js";
import type { PocShape } from "../../shape.js";
import type { PocPrecision } from "../types.js";
import { GpuFeatureUnavailableError } from "./errors.js";
import { attentionWgsl, gatherLastWgsl, ropeWgsl, rmsNormWgsl } from "./kernels/elementwise.js";
import { matmulWgsl, type MatmulEpilogue, type MatmulVariant } from "./kernels/matmul.js";
import { matmulSubgroupWgsl, subgroupBlock, subgroupSharedBytes } from "./kernels/matmul-subgroup.js";
import { matmulTiledWgsl, tiledBlock, tiledSharedBytes, type TiledMatmulVariant } from "./kernels/matmul-tiled.js";
import { BufferUsage, SUBGROUP_MATRIX_FEATURE, type GpuContext } from "./gpu.js";
import type { GpuLinear, GpuModel } from "./model.js";

/** Compiles each distinct WGSL source once per device. */
export class PipelineCache {
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();
  constructor(private readonly device: GPUDevice) {}
  /** Returns the pipeline of `code` (entry point `main`), compiling it on first use. */
  get(code: string): Promise<GPUComputePipeline> {
    let p = this.pipelines.get(code);
    if (!p) {
      const device = this.device;
      p = (async () => {
        // Everything synchronous inside error scopes: Dawn's asynchronous pipeline creation (and an
        // async pipeline of an invalid module) can crash on lavapipe.
        device.pushErrorScope("validation");
        const module = device.createShaderModule({ code });
        const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
        const err = await device.popErrorScope();
        if (err) throw new GpuError(`WGSL pipeline creation failed: ${err.message}`, { metaMessages: [code.slice(0, 300)] });
        return pipeline;
      })();
      this.pipelines.set(code, p);
    }
    return p;
  }
  /** Number of compiled pipelines. */
  get size(): number {
    return this.pipelines.size;
  }
}

/** One compute dispatch. */
export interface Dispatch {
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  groups: [number, number];
}

/** A ready-to-run forward pass for `count` nonces. */
export interface ForwardPlan {
  count: number;
  dispatches: Dispatch[];
  /** `[count, seq, dim]` float32 input (the residual stream's first state). */
  input: GPUBuffer;
  logits: GPUBuffer;
  staging: GPUBuffer;
  buffers: GPUBuffer[];
}

/**
 * Which matmul kernel a backend uses: `"register"` (register blocking without shared memory —
 * what suits software drivers), `"tiled"` (shared-memory tiles, for discrete GPUs) or
 * `"subgroup-matrix"` (tensor cores through `chromium-experimental-subgroup-matrix`; float16
 * operands, float32 accumulation; opt-in, see docs/poc.md).
 */
export type MatmulKernel = "register" | "tiled" | "subgroup-matrix";

/**
 * How the matmul kernels are shaped (every field optional: what is left out comes from
 * {@link defaultTuning} for the adapter and the kernel).
 *
 * @example { kernel: "tiled" }                       // force the tiled kernel (e.g. on lavapipe)
 * @example { kernel: "tiled", activations: "f16" }   // float16 activations, float32 accumulation
 */
export interface KernelTuning {
  /** Default: `"register"` on software drivers, `"tiled"` on hardware adapters. */
  kernel?: MatmulKernel;
  /** Register block rows per invocation (tiled/register), or result matrices per workgroup along rows (subgroup-matrix). */
  tileRows?: number;
  /** Register block columns per invocation, or result matrices per workgroup along columns (subgroup-matrix). */
  tileCols?: number;
  /** Workgroup size along (columns, rows) (register and tiled kernels). */
  workgroup?: [number, number];
  /** Elements of k staged in shared memory per step (tiled and subgroup-matrix kernels). */
  tileK?: number;
  /**
   * `"f16"` rounds the activations to float16 as they enter each matmul (tiled kernel only; the
   * subgroup-matrix kernel always does). Not exact: see docs/poc.md for its measured flip rate.
   */
  activations?: "f32" | "f16";
}

/** A {@link KernelTuning} with every choice made. */
export interface ResolvedTuning {
  kernel: MatmulKernel;
  tileRows: number;
  tileCols: number;
  workgroup: [number, number];
  tileK: number;
  activations: "f32" | "f16";
}

/** What kernel selection needs to know about a device. */
export type KernelContext = Pick<GpuContext, "isSoftware" | "hasF16" | "subgroupMatrix" | "subgroupMaxSize">;

/**
 * The default shape of each kernel.
 *
 * - register: software drivers (lavapipe): 8 rows × 4 columns per invocation in 4×16 workgroups —
 *   measured on the `small` shape with 8 nonces per submission at 7.7 nonces/s against 3.6 for
 *   4×4 in 8×8 (4×8: 4.6, 8×8: 6.9, 16×4: 5.7); elsewhere 4×4 in 16×16.
 * - tiled: 8×8 per invocation in 16×16 workgroups (128×128 blocks), k staged 8 at a time
 *   (12 KiB of shared memory with the gate's second matrix) — untuned: no GPU was available;
 *   on software drivers (only when forced) 8×4 in 4×8 (32 invocations: lavapipe runs a
 *   workgroup's invocations as coroutines between barriers, so big workgroups compile and run slowly).
 * - subgroup-matrix: 4×2 result matrices per one-subgroup workgroup, k staged 32 at a time.
 *
 * With no kernel given: `"register"` on software drivers, `"tiled"` on hardware adapters. The
 * subgroup-matrix kernel is never chosen by default (it rounds activations to float16 and has
 * not yet run on hardware).
 */
export function defaultTuning(ctx: Pick<GpuContext, "isSoftware">, kernel?: MatmulKernel): ResolvedTuning {
  const k = kernel ?? (ctx.isSoftware ? "register" : "tiled");
  switch (k) {
    case "register":
      return ctx.isSoftware
        ? { kernel: k, tileRows: 8, tileCols: 4, workgroup: [4, 16], tileK: 4, activations: "f32" }
        : { kernel: k, tileRows: 4, tileCols: 4, workgroup: [16, 16], tileK: 4, activations: "f32" };
    case "tiled":
      // Software drivers run a workgroup's invocations as coroutines between barriers: smaller blocks compile and run faster there.
      return ctx.isSoftware
        ? { kernel: k, tileRows: 8, tileCols: 4, workgroup: [4, 8], tileK: 8, activations: "f32" }
        : { kernel: k, tileRows: 8, tileCols: 8, workgroup: [16, 16], tileK: 8, activations: "f32" };
    case "subgroup-matrix":
      return { kernel: k, tileRows: 4, tileCols: 2, workgroup: [1, 1], tileK: 32, activations: "f16" };
  }
}

const KERNELS: readonly MatmulKernel[] = ["register", "tiled", "subgroup-matrix"];

/**
 * Fills a {@link KernelTuning} from the defaults and checks it against the device. Throws
 * `InvalidArgumentError` for a malformed tuning and {@link GpuFeatureUnavailableError} when the
 * kernel or the activation type needs a feature the device lacks.
 */
export function resolveTuning(ctx: KernelContext, tuning: KernelTuning = {}): ResolvedTuning {
  if (tuning.kernel !== undefined && !KERNELS.includes(tuning.kernel)) {
    throw new InvalidArgumentError("webgpu.tuning.kernel", `must be one of ${KERNELS.map((k) => `"${k}"`).join(", ")}, got ${JSON.stringify(tuning.kernel)}`);
  }
  const base = defaultTuning(ctx, tuning.kernel);
  const t: ResolvedTuning = {
    kernel: base.kernel,
    tileRows: tuning.tileRows ?? base.tileRows,
    tileCols: tuning.tileCols ?? base.tileCols,
    workgroup: tuning.workgroup ?? base.workgroup,
    tileK: tuning.tileK ?? base.tileK,
    activations: tuning.activations ?? base.activations,
  };
  const positive = (name: string, v: unknown, max: number): void => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) throw new InvalidArgumentError(`webgpu.tuning.${name}`, `must be an integer from 1 to ${max}, got ${String(v)}`);
  };
  positive("tileRows", t.tileRows, 16);
  positive("tileCols", t.tileCols, 16);
  if (!Array.isArray(t.workgroup) || t.workgroup.length !== 2) throw new InvalidArgumentError("webgpu.tuning.workgroup", "must be [columns, rows]");
  positive("workgroup[0]", t.workgroup[0], 1024);
  positive("workgroup[1]", t.workgroup[1], 1024);
  positive("tileK", t.tileK, 256);
  if (t.activations !== "f32" && t.activations !== "f16") throw new InvalidArgumentError("webgpu.tuning.activations", `must be "f32" or "f16", got ${JSON.stringify(t.activations)}`);
  if (t.kernel === "tiled" && t.tileK % 4 !== 0) throw new InvalidArgumentError("webgpu.tuning.tileK", `must be a multiple of 4 for the tiled kernel, got ${t.tileK}`);
  if (t.activations === "f16") {
    if (t.kernel === "register") {
      throw new InvalidArgumentError("webgpu.tuning.activations", "float16 activations exist only in the tiled and subgroup-matrix kernels", { details: 'Add kernel: "tiled".' });
    }
  }
  if (t.kernel === "subgroup-matrix") {
    if (t.activations !== "f16") throw new InvalidArgumentError("webgpu.tuning.activations", "the subgroup-matrix kernel multiplies float16 activations; it cannot keep them float32");
    const cfg = ctx.subgroupMatrix;
    if (!cfg || !ctx.hasF16 || ctx.subgroupMaxSize < 1) throw new GpuFeatureUnavailableError(SUBGROUP_MATRIX_FEATURE, "the subgroup-matrix matmul kernel");
    if (t.tileK % cfg.K !== 0 || t.tileK % 4 !== 0) throw new InvalidArgumentError("webgpu.tuning.tileK", `must be a multiple of 4 and of the subgroup-matrix K (${cfg.K}), got ${t.tileK}`);
  }
  return t;
}

/** Describes a resolved tuning in a few words (for backend descriptions). */
export function describeTuning(t: ResolvedTuning, ctx: Pick<GpuContext, "subgroupMatrix">): string {
  const act = t.activations === "f16" ? "; f16 activations" : "";
  switch (t.kernel) {
    case "register": return `register matmul ${t.tileRows}x${t.tileCols} wg ${t.workgroup.join("x")}`;
    case "tiled": return `tiled matmul ${t.tileRows}x${t.tileCols} wg ${t.workgroup.join("x")} k ${t.tileK}${act}`;
    case "subgroup-matrix": {
      const c = ctx.subgroupMatrix;
      return `subgroup-matrix matmul ${c ? `${c.M}x${c.N}x${c.K}` : "?"} x ${t.tileRows}x${t.tileCols} k ${t.tileK}${act}`;
    }
  }
}

/** One matmul dispatch's kernel: its WGSL, its grid for `outN` columns, and the `kv` uniform. */
export interface MatmulKernelPlan {
  code: string;
  groups(outN: number): [number, number];
  kv: number;
}

/**
 * The kernel of one matmul `[rows, k] · [out, k]ᵀ` with the backend's tuning — what
 * {@link buildPlan} dispatches (and the kernel tests and benches run alone). Matmuls of at most
 * 16 rows (the last layer's, one row per nonce) use smaller blocks.
 */
export function matmulKernel(
  ctx: KernelContext & Pick<GpuContext, "maxWorkgroupStorage" | "maxWorkgroupInvocations">, tuning: ResolvedTuning,
  weights: PocPrecision, rows: number, k: number, epilogue: MatmulEpilogue,
): MatmulKernelPlan {
  const vec: 4 | 1 = k % 4 === 0 ? 4 : 1;
  const kv = k / vec;
  const ceil = (a: number, b: number): number => Math.ceil(a / b);
  const checkShared = (bytes: number): void => {
    if (bytes > ctx.maxWorkgroupStorage) {
      throw new GpuError(`the ${tuning.kernel} matmul needs ${bytes} bytes of workgroup memory; the device allows ${ctx.maxWorkgroupStorage}`, { details: "Lower tuning.tileK, tileRows or tileCols." });
    }
  };
  if (tuning.kernel === "subgroup-matrix" && ctx.subgroupMatrix) {
    const v = {
      weights, epilogue, config: ctx.subgroupMatrix, subgroupSize: ctx.subgroupMaxSize, vec,
      tileRows: rows <= 16 ? 1 : tuning.tileRows, tileCols: rows <= 16 ? Math.max(tuning.tileCols, 4) : tuning.tileCols, tileK: tuning.tileK,
    };
    checkShared(subgroupSharedBytes(v));
    const b = subgroupBlock(v);
    return { code: matmulSubgroupWgsl(v), kv, groups: (outN) => [ceil(outN, b.cols), ceil(rows, b.rows)] };
  }
  if (tuning.kernel === "tiled") {
    // At most 16 rows: one block row of 16 covers them (same invocation count), so each weight is staged once.
    const invocations = tuning.workgroup[0] * tuning.workgroup[1];
    const v: TiledMatmulVariant = rows <= 16 && invocations % 4 === 0
      ? { weights, epilogue, vec, tileRows: 4, tileCols: 2, workgroup: [invocations / 4, 4], tileK: 8, activations: tuning.activations }
      : { weights, epilogue, vec, tileRows: tuning.tileRows, tileCols: tuning.tileCols, workgroup: tuning.workgroup, tileK: tuning.tileK, activations: tuning.activations };
    checkShared(tiledSharedBytes(v));
    if (v.workgroup[0] * v.workgroup[1] > ctx.maxWorkgroupInvocations) {
      throw new GpuError(`workgroup ${v.workgroup.join("x")} exceeds the device's ${ctx.maxWorkgroupInvocations} invocations`);
    }
    const b = tiledBlock(v);
    return { code: matmulTiledWgsl(v), kv, groups: (outN) => [ceil(outN, b.cols), ceil(rows, b.rows)] };
  }
  const v: MatmulVariant = rows <= 16
    ? { weights, epilogue, tileRows: 4, tileCols: 4, workgroup: [64, 1], vec }
    : { weights, epilogue, tileRows: tuning.tileRows, tileCols: tuning.tileCols, workgroup: tuning.workgroup, vec };
  return { code: matmulWgsl(v), kv, groups: (outN) => [ceil(outN, v.tileCols * v.workgroup[0]), ceil(rows, v.tileRows * v.workgroup[1])] };
}

function groups1d(threads: number, wg = 64): [number, number] {
  const n = Math.ceil(threads / wg);
  return n <= 65535 ? [n, 1] : [65535, Math.ceil(n / 65535)];
}

/** Builds the plan of a batch of `count` nonces. */
export async function buildPlan(
  ctx: GpuContext, shape: PocShape, model: GpuModel, count: number, cache: PipelineCache, tuning: ResolvedTuning,
): Promise<ForwardPlan> {
  const d = ctx.device;
  const { dim, seqLen: seq, nHeads, nKvHeads, headDim: hd, vocab, normEps } = shape;
  const R = count * seq;
  const qw = nHeads * hd, kw = nKvHeads * hd;
  const buffers: GPUBuffer[] = [];
  const storage = (floats: number, label: string, extra = 0): GPUBuffer => {
    const b = d.createBuffer({ label, size: Math.max(16, floats * 4), usage: BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC | extra });
    buffers.push(b);
    return b;
  };
  const uniforms = new Map<string, GPUBuffer>();
  const uniform = (u32: number[], f32: Record<number, number> = {}): GPUBuffer => {
    const key = `${u32.join(",")}|${Object.entries(f32).join(",")}`;
    let b = uniforms.get(key);
    if (!b) {
      const data = new ArrayBuffer(32);
      const u = new Uint32Array(data);
      u32.forEach((v, i) => { u[i] = v; });
      const f = new Float32Array(data);
      for (const [i, v] of Object.entries(f32)) f[Number(i)] = v;
      b = d.createBuffer({ size: 32, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST, mappedAtCreation: true });
      new Uint8Array(b.getMappedRange()).set(new Uint8Array(data));
      b.unmap();
      buffers.push(b);
      uniforms.set(key, b);
    }
    return b;
  };
  const dispatches: Dispatch[] = [];
  const add = async (code: string, bind: GPUBuffer[], groups: [number, number]): Promise<void> => {
    const pipeline = await cache.get(code);
    const bindGroup = d.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: bind.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    dispatches.push({ pipeline, bindGroup, groups });
  };

  const matmul = async (
    x: GPUBuffer, rows: number, k: number, w: GPUBuffer, outN: number, y: GPUBuffer, ldy: number, yCol: number,
    epilogue: MatmulEpilogue, extra?: GPUBuffer,
  ): Promise<void> => {
    const kernel = matmulKernel(ctx, tuning, model.precision, rows, k, epilogue);
    const bind = [uniform([rows, kernel.kv, outN, ldy, yCol]), x, w, y];
    if (extra) bind.push(extra);
    await add(kernel.code, bind, kernel.groups(outN));
  };
  const linear = async (x: GPUBuffer, rows: number, lin: GpuLinear, y: GPUBuffer, epilogue: MatmulEpilogue, extra?: GPUBuffer): Promise<void> => {
    for (const c of lin.chunks) await matmul(x, rows, lin.k, c.buffer, c.rows, y, lin.out, c.row0, epilogue, extra);
  };
  const rms = (x: GPUBuffer, rows: number, w: GPUBuffer, y: GPUBuffer): Promise<void> =>
    add(rmsNormWgsl(), [uniform([rows, dim], { 2: normEps }), x, w, y], groups1d(rows));
  const rope = (x: GPUBuffer, rows: number, heads: number, period: number, pos0: number): Promise<void> =>
    add(ropeWgsl(), [uniform([rows, heads, hd / 2, period, pos0]), x, model.cos, model.sin], groups1d(rows * heads * (hd / 2)));
  const attention = (q: GPUBuffer, k: GPUBuffer, v: GPUBuffer, out: GPUBuffer, qPer: number): Promise<void> => {
    const nq = count * qPer;
    return add(attentionWgsl(hd, nHeads, nKvHeads), [uniform([nq, qPer, seq, seq - qPer], { 4: 1 / Math.sqrt(hd) }), q, k, v, out], groups1d(nq * nHeads));
  };
  const gather = (src: GPUBuffer, width: number, dst: GPUBuffer): Promise<void> =>
    add(gatherLastWgsl(), [uniform([count, seq, width]), src, dst], groups1d(count * width));
  const ffn = async (layer: GpuModel["layers"][number], n: GPUBuffer, rows: number, h: GPUBuffer, g: GPUBuffer, x: GPUBuffer): Promise<void> => {
    let first = true;
    for (const c of layer.ffn) {
      await matmul(n, rows, dim, c.w1, c.size, g, c.size, 0, "gate", c.w3);
      await matmul(g, rows, c.size, c.w2, dim, x, dim, 0, first ? "add" : "accumulate", first ? h : undefined);
      first = false;
    }
  };

  const X = storage(R * dim, "x"), H = storage(R * dim, "h"), N = storage(R * dim, "n");
  const Q = storage(R * qw, "q"), ATT = storage(R * qw, "att");
  const K = storage(R * kw, "k"), V = storage(R * kw, "v");
  const G = storage(R * model.ffnChunk, "g");
  const NL = storage(count * dim, "n.last"), XL = storage(count * dim, "x.last"), HL = storage(count * dim, "h.last");
  const X2L = storage(count * dim, "x2.last"), QL = storage(count * qw, "q.last"), ATTL = storage(count * qw, "att.last");
  const FIN = storage(count * dim, "final");
  const LOG = storage(count * vocab, "logits");
  const staging = d.createBuffer({ label: "logits.staging", size: count * vocab * 4, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  buffers.push(staging);

  for (let l = 0; l < model.layers.length; l++) {
    const L = model.layers[l];
    await rms(X, R, L.attentionNorm, N);
    await linear(N, R, L.wk, K, "store");
    await linear(N, R, L.wv, V, "store");
    await rope(K, R, nKvHeads, seq, 0);
    if (l < model.layers.length - 1) {
      await linear(N, R, L.wq, Q, "store");
      await rope(Q, R, nHeads, seq, 0);
      await attention(Q, K, V, ATT, seq);
      await linear(ATT, R, L.wo, H, "add", X);
      await rms(H, R, L.ffnNorm, N);
      await ffn(L, N, R, H, G, X);
    } else {
      // Last layer: only the last position goes on past k and v.
      await gather(N, dim, NL);
      await gather(X, dim, XL);
      await linear(NL, count, L.wq, QL, "store");
      await rope(QL, count, nHeads, 1, seq - 1);
      await attention(QL, K, V, ATTL, 1);
      await linear(ATTL, count, L.wo, HL, "add", XL);
      await rms(HL, count, L.ffnNorm, NL);
      await ffn(L, NL, count, HL, G, X2L);
    }
  }
  await rms(X2L, count, model.norm, FIN);
  await linear(FIN, count, model.output, LOG, "store");
  return { count, dispatches, input: X, logits: LOG, staging, buffers };
}

/** Encodes and submits one forward pass of `plan`. */
export function encodePlan(device: GPUDevice, plan: ForwardPlan): void {
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  for (const dsp of plan.dispatches) {
    pass.setPipeline(dsp.pipeline);
    pass.setBindGroup(0, dsp.bindGroup);
    pass.dispatchWorkgroups(dsp.groups[0], dsp.groups[1]);
  }
  pass.end();
  enc.copyBufferToBuffer(plan.logits, 0, plan.staging, 0, plan.staging.size);
  device.queue.submit([enc.finish()]);
}
