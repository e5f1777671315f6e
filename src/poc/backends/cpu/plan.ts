/**
 * How the CPU backend splits the model between shards (one per worker thread) and where each
 * shard keeps its weights and activations in its kernel memory.
 *
 * Every shard owns a contiguous range of each layer's outputs: kv heads (with their query heads)
 * for attention, model-dimension columns for the attention and FFN output projections, FFN hidden
 * units, and vocabulary rows. Each output is computed by exactly one shard, in the same order of
 * operations whatever the split, so the logits do not depend on the number of shards.
 */
import type { PocShape } from "../../shape.js";
import { HEAP_BASE, PANEL, ROW_BLOCK } from "./wasm-kernels.js";

/** A half-open range `[start, end)`. */
export type Range = readonly [number, number];

/** The output ranges one shard computes. */
export interface ShardRanges {
  /** kv heads; the query heads are `[kv0·rep, kv1·rep)`. */
  kv: Range;
  /** Model-dimension columns of `wo` and `w2` outputs. */
  dim: Range;
  /** FFN hidden units of `w1`/`w3` (rows) and `w2` (inputs: all of them). */
  hidden: Range;
  /** Vocabulary rows of the output projection. */
  vocab: Range;
}

/** Byte offsets of one layer's weights in a shard's memory. */
export interface LayerOffsets {
  attentionNorm: number; ffnNorm: number;
  wq: number; wk: number; wv: number; wo: number; w1: number; w3: number; w2: number;
}

/** Byte offsets of a shard's activations for one batch size. */
export interface ActivationOffsets {
  x: number; n: number; xp: number; k: number; v: number; q: number; att: number; nq: number; xr: number;
  input: number; h: number; g1: number; g3: number; out: number; scores: number;
  /** First byte past the activations. */
  end: number;
}

/** One shard's ranges and weight layout. */
export interface ShardPlan {
  ranges: ShardRanges;
  layers: LayerOffsets[];
  norm: number;
  output: number;
  cos: number;
  sin: number;
  /** First byte past the weights (staging for weight loading and activations start here). */
  weightsEnd: number;
  /** Bytes needed to stage the largest raw weight slice while loading. */
  stagingBytes: number;
}

const align = (n: number, a = 64): number => Math.ceil(n / a) * a;

/** Floats of a packed `[n, k]` weight matrix. */
export function packedFloats(n: number, k: number): number {
  return Math.ceil(n / PANEL) * PANEL * k;
}

/** Floats of packed rows of a `[rows, k]` activation. */
export function packedRowFloats(rows: number, k: number): number {
  return Math.ceil(rows / ROW_BLOCK) * ROW_BLOCK * k;
}

/** The most shards a shape can be split into (each shard gets some of every range). */
export function maxShards(s: PocShape): number {
  return Math.max(1, Math.min(s.nKvHeads, Math.floor(s.dim / PANEL), Math.floor(s.hidden / PANEL), Math.floor(s.vocab / PANEL)));
}

/**
 * Splits `[0, n)` into `parts` ranges of whole `unit`s, as even as possible (the last one also
 * takes the remainder below one unit).
 */
export function splitRange(n: number, parts: number, unit: number): Range[] {
  const units = Math.floor(n / unit);
  const out: Range[] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const u = Math.floor(units / parts) + (i < units % parts ? 1 : 0);
    const end = i === parts - 1 ? n : start + u * unit;
    out.push([start, end]);
    start = end;
  }
  return out;
}

/** The ranges of `count` shards (1 ≤ count ≤ {@link maxShards}). */
export function shardRanges(s: PocShape, count: number): ShardRanges[] {
  const kv = splitRange(s.nKvHeads, count, 1);
  const dim = splitRange(s.dim, count, PANEL);
  const hidden = splitRange(s.hidden, count, PANEL);
  const vocab = splitRange(s.vocab, count, PANEL);
  return kv.map((_, i) => ({ kv: kv[i], dim: dim[i], hidden: hidden[i], vocab: vocab[i] }));
}

const width = (r: Range): number => r[1] - r[0];

/** Query-head range of a shard. */
export function headRange(s: PocShape, r: ShardRanges): Range {
  const rep = s.nHeads / s.nKvHeads;
  return [r.kv[0] * rep, r.kv[1] * rep];
}

/** Lays out a shard's weights from {@link HEAP_BASE}. */
export function planShard(s: PocShape, ranges: ShardRanges): ShardPlan {
  const { dim, hidden, headDim: hd } = s;
  const qw = s.nHeads * hd;
  const qS = width(headRange(s, ranges)) * hd, kS = width(ranges.kv) * hd;
  const dS = width(ranges.dim), hS = width(ranges.hidden), vS = width(ranges.vocab);
  let at = HEAP_BASE;
  const take = (floats: number): number => {
    const p = at;
    at = align(at + 4 * floats);
    return p;
  };
  const layers: LayerOffsets[] = [];
  for (let l = 0; l < s.nLayers; l++) {
    layers.push({
      attentionNorm: take(dim), ffnNorm: take(dim),
      wq: take(packedFloats(qS, dim)), wk: take(packedFloats(kS, dim)), wv: take(packedFloats(kS, dim)),
      wo: take(packedFloats(dS, qw)), w1: take(packedFloats(hS, dim)), w3: take(packedFloats(hS, dim)),
      w2: take(packedFloats(dS, hidden)),
    });
  }
  const norm = take(dim);
  const output = take(packedFloats(vS, dim));
  const half = (s.seqLen * hd) / 2;
  const cos = take(half), sin = take(half);
  const stagingBytes = 4 * Math.max(qS * dim, kS * dim, dS * qw, hS * dim, dS * hidden, vS * dim);
  return { ranges, layers, norm, output, cos, sin, weightsEnd: at, stagingBytes };
}

/** Lays out a shard's activations for `count` nonces after its weights. */
export function planActivations(s: PocShape, plan: ShardPlan, count: number): ActivationOffsets {
  const { dim, hidden, headDim: hd } = s;
  const rows = count * s.seqLen;
  const qw = s.nHeads * hd;
  const r = plan.ranges;
  const qS = width(headRange(s, r)) * hd, kS = width(r.kv) * hd;
  const dS = width(r.dim), hS = width(r.hidden), vS = width(r.vocab);
  let at = plan.weightsEnd;
  const take = (floats: number): number => {
    const p = at;
    at = align(at + 4 * floats);
    return p;
  };
  const x = take(rows * dim), n = take(rows * dim);
  const xp = take(packedRowFloats(rows, Math.max(dim, qw, hidden)));
  const k = take(rows * kS), v = take(rows * kS), q = take(rows * qS), att = take(rows * qS);
  const nq = take(count * dim), xr = take(count * dim);
  const input = take(rows * Math.max(qw, hidden)), h = take(rows * dim);
  const g1 = take(rows * hS), g3 = take(rows * hS);
  const out = take(Math.max(rows * dS, count * vS));
  const scores = take(2 * s.seqLen);
  return { x, n, xp, k, v, q, att, nq, xr, input, h, g1, g3, out, scores, end: at };
}
