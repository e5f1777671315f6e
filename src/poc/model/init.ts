import { sha256 } from "@noble/hashes/sha2.js";
import { InvalidArgumentError } from "../../errors.js";
import { float16ArrayToFloat32, rngFromSeed } from "../rng/index.js";
import { parameterLayout, poolSize, type ParameterInfo } from "./layout.js";
import { toPocParams, type PocParams, type PocParamsWire } from "./params.js";

/** Standard deviation of the weight pool's normals. */
export const WEIGHT_STD = 0.02;

/**
 * Where a parameter's values come from in the pool: a contiguous slice starting at `start`
 * (`numel <= poolSize`), or the pool tiled to `numel` and rotated left by `shift`.
 */
export type WeightPlacement = { kind: "slice"; start: number } | { kind: "tiled"; shift: number };

/** A parameter with its placement in the pool. */
export interface PlacedParameter extends ParameterInfo {
  placement: WeightPlacement;
}

/**
 * The placement of one parameter: `h = int(sha256(f"{blockHash}_{name}").hexdigest()[:8], 16)`;
 * slice start `h % (pool - numel + 1)` or rotation `h % numel`.
 */
export function weightPlacement(blockHash: string, name: string, numel: number, pool: number): WeightPlacement {
  const d = sha256(new TextEncoder().encode(`${blockHash}_${name}`));
  const h = ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
  if (numel <= pool) return { kind: "slice", start: h % (pool - numel + 1) };
  return { kind: "tiled", shift: h % numel };
}

/**
 * The weight pool: `normal(0, 0.02, size=poolSize)` from `rngFromSeed(blockHash, 4)`, as float16
 * bits (float64 → float32 → float16). Pass `out` to reuse a buffer.
 */
export function generateWeightPool(blockHash: string, size: number, out?: Uint16Array): Uint16Array {
  if (typeof blockHash !== "string") throw new InvalidArgumentError("blockHash", "must be a string");
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError("size", "must be a non-negative integer");
  const pool = out ? out.subarray(0, size) : allocateFloat16(size);
  if (pool.length < size) throw new InvalidArgumentError("out", `has ${pool.length} elements, needs ${size}`);
  return rngFromSeed(blockHash, 4).fillNormalFloat16(pool, 0, WEIGHT_STD);
}

function allocateFloat16(size: number): Uint16Array {
  try {
    return new Uint16Array(size);
  } catch (e) {
    throw new InvalidArgumentError("size", `cannot allocate a pool of ${size} float16 values`, { cause: e });
  }
}

/** The initialised model weights: the float16 pool plus where each parameter reads from it. */
export interface PocWeights {
  readonly blockHash: string;
  readonly params: PocParams;
  /** Pool size (`max(50000, int(totalParams * 0.05))`). */
  readonly poolSize: number;
  /** The pool's float16 bits. */
  readonly pool: Uint16Array;
  /** Every parameter in registration order, with its placement. */
  readonly parameters: readonly PlacedParameter[];
  /** Looks a parameter up by name. */
  parameter(name: string): PlacedParameter;
  /**
   * A parameter's float16 bits in row-major order: a zero-copy view of the pool for slices, a new
   * array for tiled parameters.
   */
  values(name: string): Uint16Array;
  /** Writes a parameter's float16 bits into `out` (length ≥ numel); returns the filled part. */
  fill(name: string, out: Uint16Array): Uint16Array;
  /**
   * A parameter's values widened exactly to float32 (a new array) — the shape of a backend's
   * weight source (`{ get(name): Float32Array }`).
   */
  get(name: string): Float32Array;
}

/**
 * Initialises the PoC model's weights for a block hash (poc.md §2): one pool of normals, and each
 * parameter a slice (or a rotated tiling) of it chosen by a hash of its name. Only the pool is
 * materialised (≈0.9 billion float16 values, 1.8 GB, on mainnet); parameters are views.
 *
 * @example
 * ```ts
 * const w = initWeights(POC_PARAMS_V2, blockHash);
 * const wq = w.values("layers.0.attention.wq.weight"); // Uint16Array view, 1792×1792
 * ```
 */
export function initWeights(params: PocParams | PocParamsWire, blockHash: string): PocWeights {
  if (typeof blockHash !== "string") throw new InvalidArgumentError("blockHash", "must be a string");
  const camel = toPocParams(params);
  const layout = parameterLayout(camel);
  const size = poolSize(camel);
  const pool = generateWeightPool(blockHash, size);
  const parameters = layout.map((p) => ({ ...p, placement: weightPlacement(blockHash, p.name, p.numel, size) }));
  const byName = new Map(parameters.map((p) => [p.name, p]));
  const parameter = (name: string): PlacedParameter => {
    const p = byName.get(name);
    if (!p) throw new InvalidArgumentError("name", `no parameter named ${JSON.stringify(name)}`);
    return p;
  };
  const fill = (name: string, out: Uint16Array): Uint16Array => {
    const p = parameter(name);
    if (out.length < p.numel) throw new InvalidArgumentError("out", `has ${out.length} elements, needs ${p.numel}`);
    return fillFromPool(pool, p.numel, p.placement, out);
  };
  const values = (name: string): Uint16Array => {
    const p = parameter(name);
    if (p.placement.kind === "slice") return pool.subarray(p.placement.start, p.placement.start + p.numel);
    return fillFromPool(pool, p.numel, p.placement, new Uint16Array(p.numel));
  };
  return {
    blockHash,
    params: camel,
    poolSize: size,
    pool,
    parameters,
    parameter,
    values,
    fill,
    get: (name) => float16ArrayToFloat32(values(name)),
  };
}

/** Writes `numel` values of a placement into `out` from `pool`; returns `out.subarray(0, numel)`. */
export function fillFromPool(pool: Uint16Array, numel: number, placement: WeightPlacement, out: Uint16Array): Uint16Array {
  const P = pool.length;
  if (placement.kind === "slice") {
    out.set(pool.subarray(placement.start, placement.start + numel));
    return out.subarray(0, numel);
  }
  // values[i] = base[(i + shift) % numel], base[j] = pool[j % P]
  let o = 0;
  const copyBase = (from: number, to: number): void => {
    let j = from;
    while (j < to) {
      const k = j % P;
      const run = Math.min(P - k, to - j);
      out.set(pool.subarray(k, k + run), o);
      o += run;
      j += run;
    }
  };
  copyBase(placement.shift, numel);
  copyBase(0, placement.shift);
  return out.subarray(0, numel);
}
