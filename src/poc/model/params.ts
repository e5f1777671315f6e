import { InvalidArgumentError } from "../../errors.js";
import { ffnHiddenSize, type PocModelParams } from "../shape.js";

/**
 * Hyper-parameters of the PoC model (a Llama-3-style decoder), in the SDK's camelCase.
 * Use {@link pocParamsFromWire} / {@link pocParamsToWire} for the MLNode's snake_case JSON.
 */
export interface PocParams {
  dim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  vocabSize: number;
  ffnDimMultiplier: number;
  multipleOf: number;
  normEps: number;
  ropeTheta: number;
  useScaledRope: boolean;
  seqLen: number;
}

/** The MLNode's `Params` JSON object (snake_case, as sent by the API node): {@link PocModelParams}. */
export type PocParamsWire = PocModelParams;

/**
 * Converts the MLNode's snake_case `Params` to {@link PocParams} (validated).
 *
 * @example
 * ```ts
 * const params = pocParamsFromWire({ dim: 1792, n_layers: 64, ... });
 * ```
 */
export function pocParamsFromWire(w: PocParamsWire): PocParams {
  if (!w || typeof w !== "object") throw new InvalidArgumentError("params", "must be an object");
  return checkPocParams({
    dim: w.dim,
    nLayers: w.n_layers,
    nHeads: w.n_heads,
    nKvHeads: w.n_kv_heads,
    vocabSize: w.vocab_size,
    ffnDimMultiplier: w.ffn_dim_multiplier,
    multipleOf: w.multiple_of,
    normEps: w.norm_eps,
    ropeTheta: w.rope_theta,
    useScaledRope: w.use_scaled_rope,
    seqLen: w.seq_len,
  });
}

/** Converts {@link PocParams} to the MLNode's snake_case `Params` JSON object. */
export function pocParamsToWire(p: PocParams): PocParamsWire {
  return {
    dim: p.dim,
    n_layers: p.nLayers,
    n_heads: p.nHeads,
    n_kv_heads: p.nKvHeads,
    vocab_size: p.vocabSize,
    ffn_dim_multiplier: p.ffnDimMultiplier,
    multiple_of: p.multipleOf,
    norm_eps: p.normEps,
    rope_theta: p.ropeTheta,
    use_scaled_rope: p.useScaledRope,
    seq_len: p.seqLen,
  };
}

const POSITIVE_INTS = ["dim", "nLayers", "nHeads", "nKvHeads", "vocabSize", "multipleOf", "seqLen"] as const;

/**
 * Accepts either spelling — {@link PocParams} or the MLNode's snake_case {@link PocParamsWire} —
 * and returns validated camelCase params.
 */
export function toPocParams(p: PocParams | PocParamsWire): PocParams {
  if (p && typeof p === "object" && "n_layers" in p) return pocParamsFromWire(p);
  return checkPocParams(p as PocParams);
}

/** Validates params (positive integers, divisibility of heads) and returns them. */
export function checkPocParams(p: PocParams): PocParams {
  if (!p || typeof p !== "object") throw new InvalidArgumentError("params", "must be an object");
  for (const k of POSITIVE_INTS) {
    const v = p[k];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) {
      throw new InvalidArgumentError(`params.${k}`, "must be a positive integer");
    }
  }
  for (const k of ["ffnDimMultiplier", "normEps", "ropeTheta"] as const) {
    if (typeof p[k] !== "number" || !Number.isFinite(p[k]) || p[k] <= 0) {
      throw new InvalidArgumentError(`params.${k}`, "must be a positive number");
    }
  }
  if (typeof p.useScaledRope !== "boolean") throw new InvalidArgumentError("params.useScaledRope", "must be a boolean");
  if (p.dim % p.nHeads !== 0) throw new InvalidArgumentError("params.nHeads", "must divide dim");
  if (p.nHeads % p.nKvHeads !== 0) throw new InvalidArgumentError("params.nKvHeads", "must divide nHeads");
  return p;
}

/** `dim / nHeads`. */
export function headDim(p: PocParams): number {
  return p.dim / p.nHeads;
}

/**
 * FFN hidden size: `int(2 * 4 * dim / 3)`, times `ffnDimMultiplier` (truncated), rounded up to a
 * multiple of `multipleOf` — float64 arithmetic exactly as Python does it.
 */
export function ffnHiddenDim(p: PocParams): number {
  return ffnHiddenSize({ dim: p.dim, ffn_dim_multiplier: p.ffnDimMultiplier, multiple_of: p.multipleOf });
}
