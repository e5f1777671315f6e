/**
 * Uploading one block hash's weights to the GPU, once: linear layers as float16 (with
 * `shader-f16`) or float32, split into row chunks that fit the device's storage-binding limit;
 * the FFN split along its hidden size so that w1/w3/w2 chunks and their activations fit too.
 */
import { GpuOutOfMemoryError } from "../../errors.js";
import type { PocShape } from "../../shape.js";
import { fetchParameter, layerParameterNames, type PocWeightSource } from "../../weights.js";
import type { PocPrecision } from "../types.js";
import { toFloat16Bits } from "./f16.js";
import { BufferUsage, type GpuContext } from "./gpu.js";

/** A `[out, k]` weight matrix stored as row chunks. */
export interface GpuLinear {
  out: number;
  k: number;
  chunks: { buffer: GPUBuffer; row0: number; rows: number }[];
}

/** One hidden-size slice of the FFN: w1/w3 rows `[h0, h0+size)` and the matching w2 columns. */
export interface GpuFfnChunk {
  size: number;
  w1: GPUBuffer;
  w3: GPUBuffer;
  /** `[dim, size]`, contiguous. */
  w2: GPUBuffer;
}

/** One layer on the GPU. */
export interface GpuLayer {
  wq: GpuLinear; wk: GpuLinear; wv: GpuLinear; wo: GpuLinear;
  ffn: GpuFfnChunk[];
  attentionNorm: GPUBuffer; ffnNorm: GPUBuffer;
}

/** The uploaded model. */
export interface GpuModel {
  precision: PocPrecision;
  layers: GpuLayer[];
  norm: GPUBuffer;
  output: GpuLinear;
  cos: GPUBuffer;
  sin: GPUBuffer;
  /** Largest FFN chunk. */
  ffnChunk: number;
  buffers: GPUBuffer[];
  bytes: number;
}

/** Upload knobs (mostly for tests that force the splitting paths on small shapes). */
export interface UploadOptions {
  /** Upper bound of one binding in bytes (default: the device limit). */
  maxBindingBytes?: number;
  /** Upper bound of an FFN hidden chunk (default 8192). */
  maxFfnChunk?: number;
}

function createBuffer(ctx: GpuContext, model: GpuModel, data: ArrayBufferView, label: string): GPUBuffer {
  const size = Math.ceil(data.byteLength / 4) * 4;
  if (size > ctx.maxBuffer || size > ctx.maxBinding) {
    throw new GpuOutOfMemoryError(`${label} needs ${size} bytes, above the device's buffer limit`);
  }
  const buffer = ctx.device.createBuffer({ label, size, usage: BufferUsage.STORAGE | BufferUsage.COPY_DST, mappedAtCreation: true });
  new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buffer.unmap();
  model.buffers.push(buffer);
  model.bytes += size;
  return buffer;
}

function asStored(values: Float32Array, precision: PocPrecision): ArrayBufferView {
  return precision === "f16" ? toFloat16Bits(values) : values;
}

function uploadLinear(ctx: GpuContext, model: GpuModel, w: Float32Array, out: number, k: number, maxBinding: number, label: string): GpuLinear {
  const bytes = model.precision === "f16" ? 2 : 4;
  const rowsPerChunk = Math.floor(maxBinding / (k * bytes));
  if (rowsPerChunk < 1) throw new GpuOutOfMemoryError(`one row of ${label} (${k * bytes} bytes) exceeds the storage binding limit`);
  const chunks: GpuLinear["chunks"] = [];
  for (let row0 = 0; row0 < out; row0 += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, out - row0);
    const data = asStored(w.subarray(row0 * k, (row0 + rows) * k), model.precision);
    chunks.push({ buffer: createBuffer(ctx, model, data, `${label}[${row0}]`), row0, rows });
  }
  return { out, k, chunks };
}

/** Picks the FFN chunk size: a multiple of 4 that keeps weight chunks under the binding limit. */
export function ffnChunkSize(shape: PocShape, precision: PocPrecision, maxBinding: number, maxChunk: number): number {
  const bytes = precision === "f16" ? 2 : 4;
  const byWeights = Math.floor(maxBinding / (shape.dim * bytes));
  let size = Math.min(shape.hidden, byWeights, maxChunk);
  if (size < shape.hidden) size = Math.max(4, size - (size % 4));
  if (size < 1) throw new GpuOutOfMemoryError("an FFN row exceeds the storage binding limit");
  // Balance the chunks.
  const n = Math.ceil(shape.hidden / size);
  const balanced = Math.ceil(shape.hidden / n);
  return n === 1 ? shape.hidden : balanced + ((4 - (balanced % 4)) % 4);
}

/**
 * Uploads the weights (fetched one parameter at a time from `weights`) and the RoPE tables.
 */
export function uploadModel(
  ctx: GpuContext, shape: PocShape, weights: PocWeightSource, precision: PocPrecision,
  tables: { cos: Float32Array; sin: Float32Array }, options: UploadOptions = {},
): GpuModel {
  const maxBinding = Math.min(options.maxBindingBytes ?? ctx.maxBinding, ctx.maxBinding);
  const model: GpuModel = {
    precision, layers: [], ffnChunk: 0, buffers: [], bytes: 0,
    norm: undefined as unknown as GPUBuffer, output: undefined as unknown as GpuLinear,
    cos: undefined as unknown as GPUBuffer, sin: undefined as unknown as GPUBuffer,
  };
  const { dim, hidden, nHeads, nKvHeads, headDim } = shape;
  const chunk = ffnChunkSize(shape, precision, maxBinding, options.maxFfnChunk ?? 8192);
  model.ffnChunk = chunk;
  const get = (name: string): Float32Array => fetchParameter(weights, shape, name);
  for (let i = 0; i < shape.nLayers; i++) {
    const n = layerParameterNames(i);
    const wq = uploadLinear(ctx, model, get(n.wq), nHeads * headDim, dim, maxBinding, n.wq);
    const wk = uploadLinear(ctx, model, get(n.wk), nKvHeads * headDim, dim, maxBinding, n.wk);
    const wv = uploadLinear(ctx, model, get(n.wv), nKvHeads * headDim, dim, maxBinding, n.wv);
    const wo = uploadLinear(ctx, model, get(n.wo), dim, nHeads * headDim, maxBinding, n.wo);
    const w1 = get(n.w1), w3 = get(n.w3), w2 = get(n.w2);
    const ffn: GpuFfnChunk[] = [];
    for (let h0 = 0; h0 < hidden; h0 += chunk) {
      const size = Math.min(chunk, hidden - h0);
      const w2c = new Float32Array(dim * size);
      for (let r = 0; r < dim; r++) w2c.set(w2.subarray(r * hidden + h0, r * hidden + h0 + size), r * size);
      ffn.push({
        size,
        w1: createBuffer(ctx, model, asStored(w1.subarray(h0 * dim, (h0 + size) * dim), precision), `${n.w1}[${h0}]`),
        w3: createBuffer(ctx, model, asStored(w3.subarray(h0 * dim, (h0 + size) * dim), precision), `${n.w3}[${h0}]`),
        w2: createBuffer(ctx, model, asStored(w2c, precision), `${n.w2}[:, ${h0}]`),
      });
    }
    model.layers.push({
      wq, wk, wv, wo, ffn,
      attentionNorm: createBuffer(ctx, model, get(n.attentionNorm), n.attentionNorm),
      ffnNorm: createBuffer(ctx, model, get(n.ffnNorm), n.ffnNorm),
    });
  }
  model.norm = createBuffer(ctx, model, get("norm.weight"), "norm.weight");
  model.output = uploadLinear(ctx, model, get("output.weight"), shape.vocab, dim, maxBinding, "output.weight");
  model.cos = createBuffer(ctx, model, tables.cos, "rope.cos");
  model.sin = createBuffer(ctx, model, tables.sin, "rope.sin");
  return model;
}
