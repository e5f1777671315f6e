/**
 * Getting a WebGPU device: `navigator.gpu` in browsers, the optional `webgpu` package (Dawn) in
 * Node — imported lazily here and nowhere else. Failures become typed errors.
 */
import { GpuDeviceLostError, GpuError, GpuOutOfMemoryError, WebGpuUnavailableError } from "../../errors.js";
import { messageOf } from "../../../errors.js";

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
}

/**
 * Node's Dawn instance, shared by every live backend and dropped when the last one is released
 * (a referenced instance keeps Node's event loop alive; a collected one must not have live devices).
 */
let nodeInstance: { gpu: GPU; refs: number } | null = null;

/** True in Node.js (where the `webgpu` package can supply WebGPU), false in browsers and workers. */
export function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === "string";
}

async function retainGpu(): Promise<{ gpu: GPU; release: () => void }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, release: () => undefined };
  if (!nodeInstance) {
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
    if (!nodeInstance) {
      try {
        nodeInstance = { gpu: mod.create([]), refs: 0 };
      } catch (e) {
        throw new WebGpuUnavailableError(`WebGPU could not be initialised: ${messageOf(e)}`, { cause: e });
      }
    }
  }
  const inst = nodeInstance;
  inst.refs++;
  let released = false;
  return {
    gpu: inst.gpu,
    release: () => {
      if (released) return;
      released = true;
      inst.refs--;
      if (inst.refs === 0 && nodeInstance === inst) nodeInstance = null;
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
  const held = options.gpu ? { gpu: options.gpu, release: () => undefined } : await retainGpu();
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
  const hasF16 = options.wantF16 && adapter.features.has("shader-f16");
  const lim = adapter.limits;
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredFeatures: hasF16 ? ["shader-f16"] : [],
      requiredLimits: {
        maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
        maxBufferSize: lim.maxBufferSize,
        maxStorageBuffersPerShaderStage: Math.min(lim.maxStorageBuffersPerShaderStage, 8),
        maxComputeWorkgroupsPerDimension: lim.maxComputeWorkgroupsPerDimension,
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
