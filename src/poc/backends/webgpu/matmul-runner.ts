/**
 * One matmul kernel run alone, exactly as the forward plan dispatches it ({@link matmulKernel}):
 * for the kernel tests (against a float64 reference) and the per-kernel bench. Not part of the
 * public API.
 */
import { InvalidPocParamsError } from "../../errors.js";
import type { PocPrecision } from "../types.js";
import { toFloat16Bits } from "./f16.js";
import { BufferUsage, MAP_READ, withErrorScopes, type GpuContext } from "./gpu.js";
import type { MatmulEpilogue } from "./kernels/matmul.js";
import { matmulKernel, PipelineCache, type ResolvedTuning } from "./plan.js";

/** The problem: `y[r, yCol + o] (op)= Σ_k x[r, k] · w[o, k]` for `rows × out` outputs. */
export interface MatmulSpec {
  rows: number;
  k: number;
  out: number;
  epilogue: MatmulEpilogue;
  weights: PocPrecision;
  /** Row stride of `y` (default `out`). */
  ldy?: number;
  /** First column of `y` written (default 0). */
  yCol?: number;
}

/** Inputs of one run: `w` and `w3` as float32 values (stored as float16 for `weights: "f16"`). */
export interface MatmulData {
  x: Float32Array;
  w: Float32Array;
  /** The residual (`add`) — `[rows, ldy]`. */
  a?: Float32Array;
  /** The gate's second matrix (`gate`) — `[out, k]`. */
  w3?: Float32Array;
  /** `y` before the kernel (`accumulate` reads it) — `[rows, ldy]`; zeros when omitted. */
  y?: Float32Array;
}

/** A compiled matmul with its buffers. */
export interface MatmulRunner {
  /** Uploads `data`, runs the kernel once and returns `y` (`[rows, ldy]`). */
  run(data: MatmulData): Promise<Float32Array>;
  /** Seconds per dispatch, averaged over `repeats` dispatches in one submission (after `run`). */
  time(repeats: number): Promise<number>;
  /** The kernel's WGSL. */
  readonly code: string;
  destroy(): void;
}

/** Compiles the matmul of `spec` for `ctx` with `tuning` (errors as the forward plan's). */
export async function createMatmulRunner(ctx: GpuContext, tuning: ResolvedTuning, spec: MatmulSpec): Promise<MatmulRunner> {
  const { rows, k, out, epilogue } = spec;
  const ldy = spec.ldy ?? out, yCol = spec.yCol ?? 0;
  if (yCol + out > ldy) throw new InvalidPocParamsError("ldy", `must be at least yCol + out (${yCol + out})`);
  const kernel = matmulKernel(ctx, tuning, spec.weights, rows, k, epilogue);
  const d = ctx.device;
  const cache = new PipelineCache(d);
  const pipeline = await withErrorScopes(ctx, "compiling a matmul kernel", () => cache.get(kernel.code));
  const buffers: GPUBuffer[] = [];
  const storage = (bytes: number, extra = 0): GPUBuffer => {
    const b = d.createBuffer({ size: Math.max(16, Math.ceil(bytes / 4) * 4), usage: BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC | extra });
    buffers.push(b);
    return b;
  };
  const wBytes = spec.weights === "f16" ? 2 : 4;
  const uni = d.createBuffer({ size: 32, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
  buffers.push(uni);
  d.queue.writeBuffer(uni, 0, new Uint32Array([rows, kernel.kv, out, ldy, yCol, 0, 0, 0]));
  const X = storage(rows * k * 4), W = storage(out * k * wBytes), Y = storage(rows * ldy * 4);
  const extra = epilogue === "add" ? storage(rows * ldy * 4) : epilogue === "gate" ? storage(out * k * wBytes) : null;
  const staging = d.createBuffer({ size: Y.size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  buffers.push(staging);
  const bindGroup = d.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [uni, X, W, Y, ...(extra ? [extra] : [])].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const [gx, gy] = kernel.groups(out);
  const put = (b: GPUBuffer, v: Float32Array, f16: boolean): void => {
    const data = f16 ? toFloat16Bits(v) : v;
    // writeBuffer needs a multiple of 4 bytes.
    const bytes = new Uint8Array(Math.ceil(data.byteLength / 4) * 4);
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    d.queue.writeBuffer(b, 0, bytes);
  };
  const dispatch = (repeats: number): void => {
    const enc = d.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    for (let i = 0; i < repeats; i++) pass.dispatchWorkgroups(gx, gy);
    pass.end();
    enc.copyBufferToBuffer(Y, 0, staging, 0, Y.size);
    d.queue.submit([enc.finish()]);
  };
  const read = async (): Promise<Float32Array> => {
    await staging.mapAsync(MAP_READ);
    const y = new Float32Array(staging.getMappedRange().slice(0, rows * ldy * 4));
    staging.unmap();
    return y;
  };
  const sizeCheck = (name: string, v: Float32Array | undefined, n: number): void => {
    if (!v || v.length !== n) throw new InvalidPocParamsError(name, `expected ${n} floats, got ${v?.length ?? "none"}`);
  };
  return {
    code: kernel.code,
    async run(data) {
      sizeCheck("x", data.x, rows * k);
      sizeCheck("w", data.w, out * k);
      put(X, data.x, false);
      put(W, data.w, spec.weights === "f16");
      if (epilogue === "add") { sizeCheck("a", data.a, rows * ldy); put(extra!, data.a!, false); }
      if (epilogue === "gate") { sizeCheck("w3", data.w3, out * k); put(extra!, data.w3!, spec.weights === "f16"); }
      put(Y, data.y ?? new Float32Array(rows * ldy), false);
      return withErrorScopes(ctx, "running a matmul kernel", async () => {
        dispatch(1);
        return read();
      });
    },
    async time(repeats) {
      dispatch(1);
      await read();
      const t0 = performance.now();
      dispatch(repeats);
      await read();
      return (performance.now() - t0) / 1000 / repeats;
    },
    destroy() {
      for (const b of buffers) b.destroy();
    },
  };
}
