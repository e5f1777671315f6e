/**
 * The WebGPU backend: the PoC forward pass as WGSL kernels (generated from TypeScript templates,
 * compiled once per shape), many nonces per submission, weights uploaded once per block hash as
 * float16 when the adapter has `shader-f16` (float32 otherwise), and only the last position
 * carried past the last layer's keys and values.
 */
import { GpuDeviceLostError, GpuError, InvalidPocParamsError } from "../../errors.js";
import { messageOf } from "../../../errors.js";
import { ropeTables } from "../../rope.js";
import type { PocShape } from "../../shape.js";
import type { PocWeightSource } from "../../weights.js";
import type { PocBackend, PocPrecision } from "../types.js";
import { acquireGpu, assertAlive, MAP_READ, withErrorScopes, type GpuContext, type SubgroupMatrixConfig } from "./gpu.js";
import { uploadModel, type GpuModel, type UploadOptions } from "./model.js";
import { buildPlan, describeTuning, encodePlan, PipelineCache, resolveTuning, type ForwardPlan, type KernelTuning, type ResolvedTuning } from "./plan.js";

export { DAWN_SUBGROUP_MATRIX_TOGGLES, SUBGROUP_MATRIX_FEATURE, type SubgroupMatrixConfig } from "./gpu.js";
export { GpuFeatureUnavailableError } from "./errors.js";
export { defaultTuning, resolveTuning, type KernelTuning, type MatmulKernel, type ResolvedTuning } from "./plan.js";


/** Options of {@link createWebGpuBackend}. */
export interface WebGpuBackendOptions extends UploadOptions {
  /** `"f16"` (default when the adapter has `shader-f16`) or `"f32"` weight storage. */
  precision?: PocPrecision;
  /** Nonces per submission (default: as many as fit, at most 16 on GPUs and 8 on software drivers). */
  batchSize?: number;
  /**
   * The matmul kernel and its shape (default: chosen per adapter — register-blocked on software
   * drivers, shared-memory tiled on hardware). `{ kernel: "subgroup-matrix" }` opts in to the
   * tensor-core kernel (needs `chromium-experimental-subgroup-matrix`; in Node, see `dawnToggles`).
   */
  tuning?: KernelTuning;
  /**
   * Dawn toggles for Node's `webgpu` package (ignored in browsers), e.g.
   * {@link DAWN_SUBGROUP_MATRIX_TOGGLES} to expose `shader-f16` and f16 subgroup matrices on NVIDIA.
   */
  dawnToggles?: readonly string[];
  /** A `GPU` object to use instead of `navigator.gpu` / the `webgpu` package. */
  gpu?: GPU;
  /** `requestAdapter` power preference. */
  powerPreference?: GPUPowerPreference;
}

/** A WebGPU {@link PocBackend}, with a few extras for benches and tests. */
export interface WebGpuBackend extends PocBackend {
  readonly kind: "webgpu";
  /** Adapter description (`vendor / architecture / description`). */
  readonly adapterName: string;
  /** True on software drivers (lavapipe/llvmpipe, SwiftShader). */
  readonly isSoftware: boolean;
  /** The matmul kernel and shape in use. */
  readonly tuning: ResolvedTuning;
  /** Bytes of weights resident on the GPU. */
  readonly weightBytes: number;
  /** Number of compiled WGSL pipelines. */
  readonly pipelineCount: number;
  /** The device (for inspection; destroying it makes every later `forward` throw `GpuDeviceLostError`). */
  readonly device: GPUDevice;
}

/**
 * Acquires a device, uploads the weights and compiles the kernels. Throws
 * `WebGpuUnavailableError` (no adapter), `GpuOutOfMemoryError` (weights do not fit) or `GpuError`.
 *
 * @example
 * ```ts
 * const gpu = await createWebGpuBackend(derivePocShape(params), weights, { precision: "f32" });
 * const logits = await gpu.forward(inputs, 8);
 * gpu.destroy(); // lets Node exit
 * ```
 */
export async function createWebGpuBackend(shape: PocShape, weights: PocWeightSource, options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const ctx = await acquireGpu({
    wantF16: options.precision !== "f32",
    wantSubgroupMatrix: options.tuning?.kernel === "subgroup-matrix",
    gpu: options.gpu, powerPreference: options.powerPreference, dawnToggles: options.dawnToggles,
  });
  try {
    return await setUp(ctx, shape, weights, options);
  } catch (e) {
    ctx.release();
    throw e;
  }
}

async function setUp(ctx: GpuContext, shape: PocShape, weights: PocWeightSource, options: WebGpuBackendOptions): Promise<WebGpuBackend> {
  if (options.precision === "f16" && !ctx.hasF16) {
    throw new GpuError("float16 weights were requested but the adapter lacks the shader-f16 feature", { details: "Use precision \"f32\"." });
  }
  const tuning = resolveTuning(ctx, options.tuning);
  // float16 weights halve memory and bandwidth; the values are float16 by construction, so nothing is lost.
  const precision: PocPrecision = ctx.hasF16 && options.precision !== "f32" ? "f16" : "f32";
  const tables = ropeTables(shape);
  const model: GpuModel = await withErrorScopes(ctx, "uploading the weights", () => uploadModel(ctx, shape, weights, precision, tables, options));
  const cache = new PipelineCache(ctx.device);
  // The largest activation binding is [count * seq, max(dim, heads*hd, ffn chunk)] float32.
  const widest = Math.max(shape.dim, shape.nHeads * shape.headDim, model.ffnChunk, shape.vocab / shape.seqLen);
  const maxBinding = Math.min(options.maxBindingBytes ?? ctx.maxBinding, ctx.maxBinding);
  const fit = Math.max(1, Math.floor(maxBinding / (shape.seqLen * widest * 4)));
  const batchSize = options.batchSize ?? Math.min(fit, ctx.isSoftware ? 8 : 16);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidPocParamsError("batchSize", "must be a positive integer");
  const plans = new Map<number, Promise<ForwardPlan>>();
  let queue: Promise<unknown> = Promise.resolve();
  let destroyed = false;

  const planFor = (count: number): Promise<ForwardPlan> => {
    let p = plans.get(count);
    if (!p) {
      p = withErrorScopes(ctx, `building the forward pass for ${count} nonces`, () => buildPlan(ctx, shape, model, count, cache, tuning));
      plans.set(count, p);
      p.catch(() => plans.delete(count));
    }
    return p;
  };

  const runBatch = async (inputs: Float32Array, count: number): Promise<Float32Array> => {
    assertAlive(ctx);
    const plan = await planFor(count);
    ctx.device.queue.writeBuffer(plan.input, 0, inputs.buffer, inputs.byteOffset, count * shape.seqLen * shape.dim * 4);
    encodePlan(ctx.device, plan);
    try {
      await plan.staging.mapAsync(MAP_READ);
    } catch (e) {
      if (ctx.lost) throw new GpuDeviceLostError(ctx.lost.reason, ctx.lost.message || messageOf(e), { cause: e });
      throw new GpuError(`reading the logits back failed: ${messageOf(e)}`, { cause: e });
    }
    const out = new Float32Array(plan.staging.getMappedRange().slice(0, count * shape.vocab * 4));
    plan.staging.unmap();
    return out;
  };

  const forward = async (inputs: Float32Array, count: number): Promise<Float32Array> => {
    if (destroyed) throw new GpuError("the WebGPU backend has been destroyed");
    const need = count * shape.seqLen * shape.dim;
    if (!Number.isInteger(count) || count < 0 || inputs.length < need) {
      throw new InvalidPocParamsError("inputs", `expected ${need} floats for ${count} nonces, got ${inputs.length}`);
    }
    const out = new Float32Array(count * shape.vocab);
    for (let b0 = 0; b0 < count; b0 += batchSize) {
      const n = Math.min(batchSize, count - b0);
      const part = await runBatch(inputs.subarray(b0 * shape.seqLen * shape.dim), n);
      out.set(part, b0 * shape.vocab);
    }
    return out;
  };

  return {
    kind: "webgpu",
    shape,
    precision,
    preferredBatch: batchSize,
    adapterName: ctx.adapterName,
    isSoftware: ctx.isSoftware,
    tuning,
    weightBytes: model.bytes,
    device: ctx.device,
    get pipelineCount() { return cache.size; },
    description: `webgpu (${ctx.adapterName}; weights ${precision}; ${batchSize} nonces per submission; ${describeTuning(tuning, ctx)})`,
    forward(inputs, count) {
      const run = queue.then(() => forward(inputs, count));
      queue = run.catch(() => undefined);
      return run;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const b of model.buffers) b.destroy();
      void Promise.all(plans.values()).then((ps) => { for (const p of ps) for (const b of p.buffers) b.destroy(); }).catch(() => undefined);
      plans.clear();
      ctx.release();
    },
  };
}

/** What {@link probeWebGpu} found. */
export interface WebGpuProbe {
  available: boolean;
  adapterName?: string;
  isSoftware?: boolean;
  hasF16?: boolean;
  /** The adapter's f16×f16→f32 subgroup-matrix configurations (empty without the feature). */
  subgroupMatrixConfigs?: SubgroupMatrixConfig[];
  /** Storage binding limit of the device, bytes. */
  maxBinding?: number;
  /** Why WebGPU is unavailable. */
  reason?: string;
}

/**
 * Checks whether a WebGPU device can be had (and releases it again).
 *
 * @example if ((await probeWebGpu()).available) backend = "webgpu";
 */
export async function probeWebGpu(options: { gpu?: GPU; dawnToggles?: readonly string[] } = {}): Promise<WebGpuProbe> {
  try {
    const ctx = await acquireGpu({ wantF16: true, gpu: options.gpu, dawnToggles: options.dawnToggles });
    const subgroupMatrixConfigs = ctx.subgroupMatrixConfigs.filter((c) => c.componentType === "f16" && c.resultComponentType === "f32");
    const probe = { available: true, adapterName: ctx.adapterName, isSoftware: ctx.isSoftware, hasF16: ctx.hasF16, subgroupMatrixConfigs, maxBinding: ctx.maxBinding };
    ctx.release();
    return probe;
  } catch (e) {
    return { available: false, reason: messageOf(e) };
  }
}
