/**
 * The PoC model's hyper-parameters in the network's own (snake_case) spelling, and the sizes the
 * forward pass derives from them.
 */
import { InvalidPocParamsError } from "./errors.js";

/**
 * Hyper-parameters of the PoC model, exactly as the MLNode `init/generate` request's `params`
 * object spells them.
 */
export interface PocModelParams {
  dim: number;
  n_layers: number;
  n_heads: number;
  n_kv_heads: number;
  vocab_size: number;
  ffn_dim_multiplier: number;
  multiple_of: number;
  norm_eps: number;
  rope_theta: number;
  use_scaled_rope: boolean;
  seq_len: number;
}

/** The sizes a forward pass needs, derived from {@link PocModelParams}. */
export interface PocShape {
  readonly params: PocModelParams;
  readonly dim: number;
  readonly nLayers: number;
  readonly nHeads: number;
  readonly nKvHeads: number;
  readonly headDim: number;
  /** FFN hidden size. */
  readonly hidden: number;
  readonly vocab: number;
  readonly seqLen: number;
  readonly normEps: number;
}

/**
 * FFN hidden size: `int(2*4*dim/3)`, times `ffn_dim_multiplier` (truncated), rounded up to a
 * multiple of `multiple_of`.
 *
 * @example ffnHiddenSize({ dim: 1792, ffn_dim_multiplier: 10, multiple_of: 8192 }) // 49152
 */
export function ffnHiddenSize(p: Pick<PocModelParams, "dim" | "ffn_dim_multiplier" | "multiple_of">): number {
  let h = Math.trunc((2 * 4 * p.dim) / 3);
  h = Math.trunc(p.ffn_dim_multiplier * h);
  return p.multiple_of * Math.ceil(h / p.multiple_of);
}

function positiveInt(p: PocModelParams, field: keyof PocModelParams): number {
  const v = p[field];
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
    throw new InvalidPocParamsError(field, `must be a positive integer, got ${String(v)}`);
  }
  return v;
}

/**
 * Checks the hyper-parameters and derives the sizes; throws {@link InvalidPocParamsError} for
 * absurd values (zero layers, `dim` not divisible by `n_heads`, odd head size, …).
 *
 * @example const shape = derivePocShape(params); shape.hidden
 */
export function derivePocShape(params: PocModelParams): PocShape {
  if (params === null || typeof params !== "object") {
    throw new InvalidPocParamsError("(root)", "must be an object");
  }
  const dim = positiveInt(params, "dim");
  const nLayers = positiveInt(params, "n_layers");
  const nHeads = positiveInt(params, "n_heads");
  const nKvHeads = positiveInt(params, "n_kv_heads");
  const vocab = positiveInt(params, "vocab_size");
  const seqLen = positiveInt(params, "seq_len");
  positiveInt(params, "multiple_of");
  if (dim % nHeads !== 0) throw new InvalidPocParamsError("dim", `${dim} is not divisible by n_heads ${nHeads}`);
  if (nHeads % nKvHeads !== 0) {
    throw new InvalidPocParamsError("n_kv_heads", `n_heads ${nHeads} is not divisible by n_kv_heads ${nKvHeads}`);
  }
  const headDim = dim / nHeads;
  if (headDim % 2 !== 0) throw new InvalidPocParamsError("dim", `head size ${headDim} must be even for RoPE`);
  if (typeof params.ffn_dim_multiplier !== "number" || !(params.ffn_dim_multiplier > 0)) {
    throw new InvalidPocParamsError("ffn_dim_multiplier", "must be a positive number");
  }
  if (typeof params.norm_eps !== "number" || !(params.norm_eps >= 0) || !Number.isFinite(params.norm_eps)) {
    throw new InvalidPocParamsError("norm_eps", "must be a finite non-negative number");
  }
  if (typeof params.rope_theta !== "number" || !(params.rope_theta > 0) || !Number.isFinite(params.rope_theta)) {
    throw new InvalidPocParamsError("rope_theta", "must be a positive number");
  }
  if (typeof params.use_scaled_rope !== "boolean") {
    throw new InvalidPocParamsError("use_scaled_rope", "must be a boolean");
  }
  const hidden = ffnHiddenSize(params);
  if (!(hidden > 0)) throw new InvalidPocParamsError("ffn_dim_multiplier", "gives an empty FFN");
  return { params, dim, nLayers, nHeads, nKvHeads, headDim, hidden, vocab, seqLen, normEps: params.norm_eps };
}
