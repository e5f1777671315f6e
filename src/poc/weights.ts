/**
 * How a backend receives the model's weights: by parameter name, as float32 arrays holding
 * float16-representable values in row-major order (`[out, in]` for linear layers).
 */
import { InvalidPocParamsError } from "./errors.js";
import type { PocShape } from "./shape.js";

/**
 * A source of model weights. `get(name)` returns the parameter's values (float16-rounded, stored
 * as float32) with the network's parameter names, e.g. `layers.0.attention.wq.weight`.
 * The source may build each array on demand; backends fetch one parameter at a time.
 */
export interface PocWeightSource {
  get(name: string): Float32Array;
}

/** Names of one layer's parameters, in the model's registration order. */
export function layerParameterNames(i: number): {
  wq: string; wk: string; wv: string; wo: string; w1: string; w2: string; w3: string;
  attentionNorm: string; ffnNorm: string;
} {
  return {
    wq: `layers.${i}.attention.wq.weight`,
    wk: `layers.${i}.attention.wk.weight`,
    wv: `layers.${i}.attention.wv.weight`,
    wo: `layers.${i}.attention.wo.weight`,
    w1: `layers.${i}.feed_forward.w1.weight`,
    w2: `layers.${i}.feed_forward.w2.weight`,
    w3: `layers.${i}.feed_forward.w3.weight`,
    attentionNorm: `layers.${i}.attention_norm.weight`,
    ffnNorm: `layers.${i}.ffn_norm.weight`,
  };
}

/** Element count each parameter must have, by name (the token embedding is never read). */
export function expectedParameterLength(shape: PocShape, name: string): number {
  const { dim, hidden, vocab, nHeads, nKvHeads, headDim } = shape;
  if (name === "norm.weight") return dim;
  if (name === "output.weight" || name === "tok_embeddings.weight") return vocab * dim;
  const m = /^layers\.\d+\.(attention|feed_forward|attention_norm|ffn_norm)(?:\.(\w+))?\.weight$/.exec(name);
  if (!m) throw new InvalidPocParamsError("(weights)", `unknown parameter ${name}`);
  if (m[1] === "attention_norm" || m[1] === "ffn_norm") return dim;
  switch (m[2]) {
    case "wq": return nHeads * headDim * dim;
    case "wk": case "wv": return nKvHeads * headDim * dim;
    case "wo": return dim * nHeads * headDim;
    case "w1": case "w3": return hidden * dim;
    case "w2": return dim * hidden;
    default: throw new InvalidPocParamsError("(weights)", `unknown parameter ${name}`);
  }
}

/**
 * Fetches a parameter and checks its length against the shape.
 * @internal
 */
export function fetchParameter(source: PocWeightSource, shape: PocShape, name: string): Float32Array {
  const v = source.get(name);
  const n = expectedParameterLength(shape, name);
  if (!(v instanceof Float32Array) || v.length !== n) {
    throw new InvalidPocParamsError("(weights)", `${name} must be a Float32Array of ${n} values`);
  }
  return v;
}

/**
 * Wraps a plain `{ name: Float32Array }` record as a {@link PocWeightSource}.
 *
 * @example const source = weightsFromRecord({ "norm.weight": new Float32Array(64), … });
 */
export function weightsFromRecord(record: Record<string, Float32Array>): PocWeightSource {
  return {
    get(name) {
      const v = record[name];
      if (!v) throw new InvalidPocParamsError("(weights)", `missing parameter ${name}`);
      return v;
    },
  };
}
