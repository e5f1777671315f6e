/**
 * Getting a WebGPU device: `navigator.gpu` in browsers, the optional `webgpu` package (Dawn) in
 * Node — imported lazily here and nowhere else. Failures become typed errors.
 */
import { GpuDeviceLostError, GpuError, GpuOutOfMemoryError, WebGpuUnavailableError } from "../../errors.js";
import { InvalidArgumentError, messageOf } from "../../../errors.js";

/** GPUBufferUsage flags (numeric, so no global is needed in Node). */
export const BufferUsage = {
  MAP_READ: 0x1, MAP_WRITE: 0x2, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80,
} as const;
/** GPUMapMode.READ */
export const MAP_READ = 0x1;

/** A device with what the backend learned about it. */
export interface GpuContext {
  /**
   * The `GPU` object the device came from. It must stay referenced while the device is in use
   * (Dawn's instance dies with it) and be dropped afterwards so that Node can exit.
   */
  gpu: GPU | null;
  /** Destroys the device and drops this context's reference to the GPU instance. Idempotent. */
  release(): void;
  device: GPUDevice;
  /** `vendor / architecture / description` of the adapter. */
  adapterName: string;
  /** A software rasteriser (llvmpipe/lavapipe, SwiftShader, WARP). */
  isSoftware: boolean;
  hasF16: boolean;
  /**
   * The subgroup-matrix (cooperative matrix) configuration the device was opened with: an
   * f16×f16→f32 configuration of `chromium-experimental-subgroup-matrix`, present only when it was
   * asked for ({@link AcquireGpuOptions.wantSubgroupMatrix}) and the adapter offers it.
   */
  subgroupMatrix: SubgroupMatrixConfig | null;
  /** Every subgroup-matrix configuration the adapter advertises (empty without the feature). */
  subgroupMatrixConfigs: SubgroupMatrixConfig[];
  /** The adapter's largest subgroup size (0 when unknown). */
  subgroupMaxSize: number;
  /** Bytes of `var<workgroup>` memory a compute shader may use. */
  maxWorkgroupStorage: number;
  /** Invocations a workgroup may have. */
  maxWorkgroupInvocations: number;
  /** The largest storage binding and buffer the device accepts, in bytes. */
  maxBinding: number;
  maxBuffer: number;
  /** Set once the device is lost. */
  lost: GPUDeviceLostInfo | null;
}

/** Options of {@link acquireGpu}. */
export interface AcquireGpuOptions {
  /** Ask for `shader-f16` (used when available). */
  wantF16: boolean;
  /** `requestAdapter` power preference. */
  powerPreference?: GPUPowerPreference;
  /** A `GPU` object to use instead of discovering one (tests, custom setups). */
  gpu?: GPU;
  /**
   * Open the device with `chromium-experimental-subgroup-matrix` (and `subgroups`, `shader-f16`)
   * when the adapter has an f16×f16→f32 configuration.
   */
  wantSubgroupMatrix?: boolean;
  /**
   * Dawn toggles for Node's `webgpu` package, passed as `enable-dawn-features=…` when its `GPU`
   * object is created (browsers ignore them). Backends with the same toggles share one instance.
   */
  dawnToggles?: readonly string[];
}

/** One `GPUSubgroupMatrixConfig` of an adapter, copied into a plain object. */
export interface SubgroupMatrixConfig {
  componentType: string;
  resultComponentType: string;
  /** Rows of the left and result matrices. */
  M: number;
  /** Columns of the right and result matrices. */
  N: number;
  /** Columns of the left matrix, rows of the right one. */
  K: number;
}

/**
 * The toggles that make Dawn's Vulkan backend on NVIDIA expose `shader-f16` and f16×f16→f32
 * subgroup-matrix configurations (the tensor cores). `allow_unsafe_apis` alone offers only int8
 * configurations there.
 *
 * @example createPocEngine({ …, webgpu: { dawnToggles: DAWN_SUBGROUP_MATRIX_TOGGLES, tuning: { kernel: "subgroup-matrix" } } })
 */
export const DAWN_SUBGROUP_MATRIX_TOGGLES: readonly string[] = Object.freeze(["allow_unsafe_apis", "vulkan_enable_f16_on_nvidia"]);

/** The subgroup-matrix feature's name (experimental, Chromium/Dawn only). */
export const SUBGROUP_MATRIX_FEATURE = "chromium-experimental-subgroup-matrix";

/**
 * Copies an adapter's `subgroupMatrixConfigs` into plain objects (Dawn's objects keep their fields
 * as prototype getters, so spreading or `JSON.stringify` loses them).
 */
export function readSubgroupMatrixConfigs(info: unknown): SubgroupMatrixConfig[] {
  const list = (info as { subgroupMatrixConfigs?: Iterable<Record<string, unknown>> } | null)?.subgroupMatrixConfigs;
  if (!list) return [];
  const out: SubgroupMatrixConfig[] = [];
  for (const c of list) {
    out.push({
      componentType: String(c.componentType), resultComponentType: String(c.resultComponentType),
      M: Number(c.M), N: Number(c.N), K: Number(c.K),
    });
  }
  return out;
}

/**
 * The f16×f16→f32 configuration used for the matmul: the largest `M·N·K` (ties: the adapter's
 * order, which lists preferred configurations first), or null when there is none.
 *
 * @example pickSubgroupMatrixConfig([{ componentType: "f16", resultComponentType: "f32", M: 16, N: 16, K: 16 }]) // that one
 */
export function pickSubgroupMatrixConfig(configs: readonly SubgroupMatrixConfig[]): SubgroupMatrixConfig | null {
  let best: SubgroupMatrixConfig | null = null;
  for (const c of configs) {
    if (c.componentType !== "f16" || c.resultComponentType !== "f32") continue;
    if (![c.M, c.N, c.K].every((v) => Number.isInteger(v) && v > 0 && v <= 64)) continue;
    if (!best || c.M * c.N * c.K > best.M * best.N * best.K) best = c;
  }
  return best;
}

/**
 * Node's Dawn instance, shared by every live backend and dropped when the last one is released
 * (a referenced instance keeps Node's event loop alive; a collected one must not have live devices).
 */
const nodeInstances = new Map<string, { gpu: GPU; refs: number }>();

const TOGGLE = /^[a-z0-9_]+$/;

/** True in Node.js (where the `webgpu` package can supply WebGPU), false in browsers and workers. */
export function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === "string";
}

async function retainGpu(toggles: readonly string[]): Promise<{ gpu: GPU; release: () => void }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, release: () => undefined };
  for (const t of toggles) {
    if (typeof t !== "string" || !TOGGLE.test(t)) {
      throw new InvalidArgumentError("webgpu.dawnToggles", `${JSON.stringify(t)} is not a Dawn toggle name (lower-case letters, digits and underscores, e.g. "allow_unsafe_apis")`);
    }
  }
  const key = [...toggles].sort().join(",");
  if (!nodeInstances.has(key)) {
    if (!isNode()) {
      throw new WebGpuUnavailableError("WebGPU is not available in this browser (no `navigator.gpu`)", {
        details:
          "Use a browser with WebGPU enabled (a recent Chrome, Edge or Safari; in Firefox or on Linux it may have to be turned on in the browser's flags), serve the page over HTTPS or localhost (WebGPU needs a secure context), or use the CPU backend.",
      });
    }
    let mod: { create: (options: string[]) => GPU };
    try {
      // A computed specifier: browser bundlers must not follow the Node-only `webgpu` package
      // (it pulls in `node:` modules), whether or not it is installed beside us.
      const webgpuModule = "webgpu";
      mod = (await import(/* @vite-ignore */ /* webpackIgnore: true */ webgpuModule)) as { create: (options: string[]) => GPU };
    } catch (e) {
      throw new WebGpuUnavailableError("WebGPU is not available: the optional `webgpu` package could not be loaded", {
        cause: e,
        details: "Install it with `npm install webgpu` (Node), or use a browser with WebGPU, or the CPU backend.",
      });
    }
    if (!nodeInstances.has(key)) {
      try {
        nodeInstances.set(key, { gpu: mod.create(key ? [`enable-dawn-features=${key}`] : []), refs: 0 });
      } catch (e) {
        throw new WebGpuUnavailableError(`WebGPU could not be initialised: ${messageOf(e)}`, { cause: e });
      }
    }
  }
  const inst = nodeInstances.get(key)!;
  inst.refs++;
  let released = false;
  return {
    gpu: inst.gpu,
    release: () => {
      if (released) return;
      released = true;
      inst.refs--;
      if (inst.refs === 0 && nodeInstances.get(key) === inst) nodeInstances.delete(key);
    },
  };
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|warp|microsoft basic/i;

/**
 * Requests an adapter and a device with the largest storage-buffer limits the adapter allows,
 * and `shader-f16` when asked for and present. Throws {@link WebGpuUnavailableError} when there is
 * no adapter.
 */
export async function acquireGpu(options: AcquireGpuOptions): Promise<GpuContext> {
  const held = options.gpu ? { gpu: options.gpu, release: () => undefined } : await retainGpu(options.dawnToggles ?? []);
  try {
    return await openDevice(held.gpu, options, held.release);
  } catch (e) {
    held.release();
    throw e;
  }
}

async function openDevice(gpu: GPU, options: AcquireGpuOptions, releaseGpu: () => void): Promise<GpuContext> {
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : undefined);
  } catch (e) {
    throw new WebGpuUnavailableError(`requestAdapter failed: ${messageOf(e)}`, { cause: e });
  }
  if (!adapter) {
    throw new WebGpuUnavailableError("No WebGPU adapter is available", {
      details: "Install a Vulkan/Metal/D3D12 driver (on Linux without a GPU: mesa-vulkan-drivers for lavapipe), or use the CPU backend.",
    });
  }
  const info = adapter.info;
  const adapterName = [info.vendor, info.architecture, info.description || info.device].filter(Boolean).join(" / ");
  const features = adapter.features;
  const configs = features.has(SUBGROUP_MATRIX_FEATURE) ? readSubgroupMatrixConfigs(info) : [];
  const matrix = options.wantSubgroupMatrix && features.has("shader-f16") && features.has("subgroups") ? pickSubgroupMatrixConfig(configs) : null;
  const hasF16 = (options.wantF16 || matrix !== null) && features.has("shader-f16");
  const lim = adapter.limits;
  const required: string[] = hasF16 ? ["shader-f16"] : [];
  if (matrix) required.push("subgroups", SUBGROUP_MATRIX_FEATURE);
  const infoSizes = info as unknown as { subgroupMaxSize?: number };
  const limSizes = lim as unknown as { maxSubgroupSize?: number };
  const subgroupMaxSize = Number(infoSizes.subgroupMaxSize ?? limSizes.maxSubgroupSize ?? 0) || 0;
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredFeatures: required as GPUFeatureName[],
      requiredLimits: {
        maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
        maxBufferSize: lim.maxBufferSize,
        maxStorageBuffersPerShaderStage: Math.min(lim.maxStorageBuffersPerShaderStage, 8),
        maxComputeWorkgroupsPerDimension: lim.maxComputeWorkgroupsPerDimension,
        maxComputeWorkgroupStorageSize: lim.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: lim.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupSizeX: lim.maxComputeWorkgroupSizeX,
        maxComputeWorkgroupSizeY: lim.maxComputeWorkgroupSizeY,
      },
    });
  } catch (e) {
    throw new WebGpuUnavailableError(`requestDevice failed: ${messageOf(e)}`, { cause: e });
  }
  const ctx: GpuContext = {
    gpu,
    release() {
      if (!ctx.gpu) return;
      device.destroy();
      ctx.gpu = null;
      releaseGpu();
    },
    device,
    adapterName,
    isSoftware: SOFTWARE.test(adapterName),
    hasF16,
    subgroupMatrix: matrix,
    subgroupMatrixConfigs: configs,
    subgroupMaxSize,
    maxWorkgroupStorage: device.limits.maxComputeWorkgroupStorageSize,
    maxWorkgroupInvocations: device.limits.maxComputeInvocationsPerWorkgroup,
    maxBinding: device.limits.maxStorageBufferBindingSize,
    maxBuffer: device.limits.maxBufferSize,
    lost: null,
  };
  void device.lost.then((l) => { ctx.lost = l; });
  return ctx;
}

/** Throws {@link GpuDeviceLostError} if the device has been lost. */
export function assertAlive(ctx: GpuContext): void {
  if (ctx.lost) throw new GpuDeviceLostError(ctx.lost.reason, ctx.lost.message || "no message");
}

/**
 * Runs `fn` inside out-of-memory and validation error scopes and turns a captured error into
 * {@link GpuOutOfMemoryError} / {@link GpuError}.
 */
export async function withErrorScopes<T>(ctx: GpuContext, what: string, fn: () => T | Promise<T>): Promise<T> {
  const d = ctx.device;
  d.pushErrorScope("out-of-memory");
  d.pushErrorScope("validation");
  d.pushErrorScope("internal");
  let result: T | undefined;
  let failure: { error: unknown } | null = null;
  try {
    result = await fn();
  } catch (e) {
    failure = { error: e };
  }
  const internal = await d.popErrorScope();
  const validation = await d.popErrorScope();
  const oom = await d.popErrorScope();
  assertAlive(ctx);
  if (oom) throw new GpuOutOfMemoryError(`Out of GPU memory while ${what}: ${oom.message}`);
  if (validation) throw new GpuError(`WebGPU validation error while ${what}: ${validation.message}`);
  if (internal) throw new GpuError(`WebGPU internal error while ${what}: ${internal.message}`);
  if (failure) throw failure.error;
  return result as T;
}
