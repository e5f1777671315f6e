/**
 * The forward pass of a batch of nonces as a fixed list of dispatches (built once per batch size
 * and replayed): buffers, uniforms, bind groups and kernel variants chosen for the adapter.
 */
import { GpuError } from "../../errors.js";
import type { PocShape } from "../../shape.js";
import { attentionWgsl, gatherLastWgsl, ropeWgsl, rmsNormWgsl } from "./kernels/elementwise.js";
import { matmulWgsl, type MatmulEpilogue, type MatmulVariant } from "./kernels/matmul.js";
import { BufferUsage, type GpuContext } from "./gpu.js";
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

/** How the matmul kernels are shaped for an adapter. */
export interface KernelTuning {
  tileRows: number;
  tileCols: number;
  workgroup: [number, number];
}

/**
 * Register blocking without shared memory. Software drivers (lavapipe): 8 rows × 4 columns per
 * invocation in 4×16 workgroups — measured on the `small` shape with 8 nonces per submission at
 * 7.7 nonces/s against 3.6 for 4×4 in 8×8 (4×8: 4.6, 8×8: 6.9, 16×4: 5.7). GPUs: 4×4 in 16×16
 * workgroups (not tuned: no GPU was available while writing this).
 */
export function defaultTuning(ctx: Pick<GpuContext, "isSoftware">): KernelTuning {
  return ctx.isSoftware ? { tileRows: 8, tileCols: 4, workgroup: [4, 16] } : { tileRows: 4, tileCols: 4, workgroup: [16, 16] };
}

function groups1d(threads: number, wg = 64): [number, number] {
  const n = Math.ceil(threads / wg);
  return n <= 65535 ? [n, 1] : [65535, Math.ceil(n / 65535)];
}

/** Builds the plan of a batch of `count` nonces. */
export async function buildPlan(
  ctx: GpuContext, shape: PocShape, model: GpuModel, count: number, cache: PipelineCache, tuning: KernelTuning,
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

  const variant = (k: number, rows: number, epilogue: MatmulEpilogue): MatmulVariant => {
    const vec = k % 4 === 0 ? 4 : 1;
    if (rows <= 16) return { weights: model.precision, epilogue, tileRows: 4, tileCols: 4, workgroup: [64, 1], vec };
    return { weights: model.precision, epilogue, tileRows: tuning.tileRows, tileCols: tuning.tileCols, workgroup: tuning.workgroup, vec };
  };
  const matmul = async (
    x: GPUBuffer, rows: number, k: number, w: GPUBuffer, outN: number, y: GPUBuffer, ldy: number, yCol: number,
    epilogue: MatmulEpilogue, extra?: GPUBuffer,
  ): Promise<void> => {
    const v = variant(k, rows, epilogue);
    const groups: [number, number] = [
      Math.ceil(outN / (v.tileCols * v.workgroup[0])), Math.ceil(rows / (v.tileRows * v.workgroup[1])),
    ];
    const bind = [uniform([rows, k / v.vec, outN, ldy, yCol]), x, w, y];
    if (extra) bind.push(extra);
    await add(matmulWgsl(v), bind, groups);
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
