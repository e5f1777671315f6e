import { ffnHiddenDim, headDim, toPocParams, type PocParams, type PocParamsWire } from "./params.js";

/** One parameter tensor of the PoC model. */
export interface ParameterInfo {
  /** PyTorch-style name, e.g. `layers.3.attention.wq.weight`. */
  name: string;
  /** Shape (`[out, in]` for linear layers). */
  shape: number[];
  /** Number of elements. */
  numel: number;
  /** Index of the layer it belongs to, or -1 for `tok_embeddings`, `norm` and `output`. */
  layer: number;
}

/**
 * The model's parameters in registration order (the order pool initialisation visits them):
 * `tok_embeddings.weight`, then per layer wq, wk, wv, wo, w1, w2, w3, attention_norm, ffn_norm,
 * then `norm.weight`, `output.weight`.
 *
 * @example
 * ```ts
 * parameterLayout(POC_PARAMS_V2).length; // 2 + 64 * 9 + 1 = 579
 * ```
 */
export function parameterLayout(params: PocParams | PocParamsWire): ParameterInfo[] {
  const p = toPocParams(params);
  const hd = headDim(p);
  const hidden = ffnHiddenDim(p);
  const out: ParameterInfo[] = [];
  const add = (name: string, shape: number[], layer: number): void => {
    out.push({ name, shape, numel: shape.reduce((a, b) => a * b, 1), layer });
  };
  add("tok_embeddings.weight", [p.vocabSize, p.dim], -1);
  for (let i = 0; i < p.nLayers; i++) {
    const pre = `layers.${i}`;
    add(`${pre}.attention.wq.weight`, [p.nHeads * hd, p.dim], i);
    add(`${pre}.attention.wk.weight`, [p.nKvHeads * hd, p.dim], i);
    add(`${pre}.attention.wv.weight`, [p.nKvHeads * hd, p.dim], i);
    add(`${pre}.attention.wo.weight`, [p.dim, p.nHeads * hd], i);
    add(`${pre}.feed_forward.w1.weight`, [hidden, p.dim], i);
    add(`${pre}.feed_forward.w2.weight`, [p.dim, hidden], i);
    add(`${pre}.feed_forward.w3.weight`, [hidden, p.dim], i);
    add(`${pre}.attention_norm.weight`, [p.dim], i);
    add(`${pre}.ffn_norm.weight`, [p.dim], i);
  }
  add("norm.weight", [p.dim], -1);
  add("output.weight", [p.vocabSize, p.dim], -1);
  return out;
}

/** Total number of parameters (including the unused token embedding table). */
export function totalParams(params: PocParams | PocParamsWire): number {
  return parameterLayout(params).reduce((a, t) => a + t.numel, 0);
}

/** Size of the random weight pool: `max(50000, int(totalParams * 0.05))`. */
export function poolSize(params: PocParams | PocParamsWire): number {
  return Math.max(50000, Math.trunc(totalParams(params) * 0.05));
}
