/**
 * The reference CPU forward pass in plain TypeScript (float32 storage, float64 accumulation), on
 * the calling thread: clear rather than fast, the oracle the WebAssembly path and the GPU kernels
 * are checked against. `createCpuBackend(shape, weights, { kernels: "reference" })` selects it.
 */
import { ropeTables } from "../../rope.js";
import type { PocShape } from "../../shape.js";
import { fetchParameter, layerParameterNames, type PocWeightSource } from "../../weights.js";
import type { PocBackend } from "../types.js";
import { causalAttention, linear, rmsNorm, rope, siluGate } from "./kernels.js";

interface CpuLayer {
  wq: Float32Array; wk: Float32Array; wv: Float32Array; wo: Float32Array;
  w1: Float32Array; w2: Float32Array; w3: Float32Array;
  attentionNorm: Float32Array; ffnNorm: Float32Array;
}

/**
 * Loads the weights (references, no copies) and returns the reference CPU {@link PocBackend}.
 *
 * @example
 * ```ts
 * const oracle = createReferenceCpuBackend(derivePocShape(params), weights);
 * const logits = await oracle.forward(inputs, 2); // [2, vocab_size]
 * ```
 */
export function createReferenceCpuBackend(shape: PocShape, weights: PocWeightSource, options: { preferredBatch?: number } = {}): PocBackend {
  const layers: CpuLayer[] = [];
  for (let i = 0; i < shape.nLayers; i++) {
    const n = layerParameterNames(i);
    const get = (name: string): Float32Array => fetchParameter(weights, shape, name);
    layers.push({
      wq: get(n.wq), wk: get(n.wk), wv: get(n.wv), wo: get(n.wo),
      w1: get(n.w1), w2: get(n.w2), w3: get(n.w3),
      attentionNorm: get(n.attentionNorm), ffnNorm: get(n.ffnNorm),
    });
  }
  const norm = fetchParameter(weights, shape, "norm.weight");
  const output = fetchParameter(weights, shape, "output.weight");
  const { cos, sin } = ropeTables(shape);
  let destroyed = false;
  return {
    kind: "cpu",
    shape,
    precision: "f32",
    preferredBatch: options.preferredBatch ?? 4,
    description: "cpu (TypeScript reference, float64 accumulation, calling thread)",
    forward(inputs, count) {
      if (destroyed) return Promise.reject(new Error("backend destroyed"));
      return Promise.resolve(cpuForward(shape, layers, norm, output, cos, sin, inputs, count));
    },
    destroy() {
      destroyed = true;
      layers.length = 0;
    },
  };
}

function cpuForward(
  s: PocShape, layers: CpuLayer[], norm: Float32Array, output: Float32Array,
  cos: Float32Array, sin: Float32Array, inputs: Float32Array, count: number,
): Float32Array {
  const { dim, seqLen: seq, nHeads, nKvHeads, headDim: hd, hidden, vocab, normEps: eps } = s;
  const rows = count * seq;
  const qw = nHeads * hd, kw = nKvHeads * hd;
  let x = Float32Array.from(inputs.subarray(0, rows * dim));
  const n = new Float32Array(rows * dim);
  const k = new Float32Array(rows * kw), v = new Float32Array(rows * kw);
  for (let l = 0; l < layers.length; l++) {
    const L = layers[l];
    const last = l === layers.length - 1;
    rmsNorm(x, rows, dim, L.attentionNorm, eps, n);
    linear(n, rows, dim, L.wk, kw, k);
    linear(n, rows, dim, L.wv, kw, v);
    rope(k, rows, nKvHeads, hd, seq, 0, cos, sin);
    // In the last layer only the last position matters beyond k and v.
    const from = last ? seq - 1 : 0;
    const qRows = seq - from;
    const rowsOut = count * qRows;
    const nq = last ? gatherLast(n, count, seq, dim) : n;
    const q = new Float32Array(rowsOut * qw);
    linear(nq, rowsOut, dim, L.wq, qw, q);
    rope(q, rowsOut, nHeads, hd, qRows, from, cos, sin);
    const att = new Float32Array(rowsOut * qw);
    for (let b = 0; b < count; b++) {
      causalAttention(
        q.subarray(b * qRows * qw, (b + 1) * qRows * qw),
        k.subarray(b * seq * kw, (b + 1) * seq * kw),
        v.subarray(b * seq * kw, (b + 1) * seq * kw),
        seq, from, nHeads, nKvHeads, hd,
        att.subarray(b * qRows * qw, (b + 1) * qRows * qw),
      );
    }
    const xr = last ? gatherLast(x, count, seq, dim) : x;
    const h = new Float32Array(rowsOut * dim);
    linear(att, rowsOut, qw, L.wo, dim, h, xr);
    const n2 = new Float32Array(rowsOut * dim);
    rmsNorm(h, rowsOut, dim, L.ffnNorm, eps, n2);
    const g1 = new Float32Array(rowsOut * hidden), g3 = new Float32Array(rowsOut * hidden);
    linear(n2, rowsOut, dim, L.w1, hidden, g1);
    linear(n2, rowsOut, dim, L.w3, hidden, g3);
    siluGate(g1, g3, rowsOut * hidden);
    const xn = new Float32Array(rowsOut * dim);
    linear(g1, rowsOut, hidden, L.w2, dim, xn, h);
    x = xn;
  }
  // x now holds one row per nonce (the last position).
  const fin = new Float32Array(count * dim);
  rmsNorm(x, count, dim, norm, eps, fin);
  const logits = new Float32Array(count * vocab);
  linear(fin, count, dim, output, vocab, logits);
  return logits;
}

function gatherLast(x: Float32Array, count: number, seq: number, width: number): Float32Array {
  const out = new Float32Array(count * width);
  for (let b = 0; b < count; b++) {
    out.set(x.subarray(((b + 1) * seq - 1) * width, (b + 1) * seq * width), b * width);
  }
  return out;
}
