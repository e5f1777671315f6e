/**
 * The Haar rotation of the picked coordinates (spec §4.6): `k−1` seeded Householder reflections
 * `x ← x − 2(x·v)v` in float32, each `v` a unit normal vector drawn from the nonce's seed strings.
 */
import { InvalidArgumentError } from "../../errors.js";
import { checkNonce, type PocNonce } from "./inputs.js";
import { normals, seedFromString } from "./random.js";

const fround = Math.fround;
const EPS_UNIT = Math.fround(1e-30);

/** The seed string of reflection `step` (0 ≤ step < k−1): `"{bh}_{pk}_nonce_{nonce}_haar_hh_{k}_{step}"`. */
export function haarSeedString(blockHash: string, publicKey: string, nonce: PocNonce, k: number, step: number): string {
  return `${blockHash}_${publicKey}_nonce_${checkNonce(nonce)}_haar_hh_${k}_${step}`;
}

/**
 * float32 Euclidean norm: squares of float32 values summed in float64 (exact for these sizes up to
 * the last bits) and rounded once. CUDA's tree reduction rounds differently in the last bit at
 * times; no summation order reproduces it exactly, so the most accurate one is used.
 */
export function normF32(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return fround(Math.sqrt(s));
}

/** float32 dot product (float64 accumulation, rounded once; see {@link normF32}). */
function dotF32(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return fround(s);
}

/**
 * The unit vector of Haar reflection `step`: `normal(seed, k) / (‖·‖₂ + 1e-30)` in float32.
 */
export function haarReflectionVector(args: { blockHash: string; publicKey: string; nonce: PocNonce; k: number; step: number }): Float32Array {
  const { blockHash, publicKey, nonce, k, step } = args;
  if (!Number.isInteger(k) || k < 2) throw new InvalidArgumentError("k", `must be an integer ≥ 2, got ${String(k)}`);
  if (!Number.isInteger(step) || step < 0 || step >= k - 1) throw new InvalidArgumentError("step", `must be an integer in 0…${k - 2}, got ${String(step)}`);
  const v = normals(seedFromString(haarSeedString(blockHash, publicKey, nonce, k, step)), k);
  const d = fround(normF32(v) + EPS_UNIT);
  for (let i = 0; i < k; i++) v[i] = v[i] / d;
  return v;
}

/** What {@link haarRotate} needs. */
export interface HaarRotateArgs {
  blockHash: string;
  publicKey: string;
  nonce: PocNonce;
  /** The `k` picked coordinates, in pick order (float32 values). */
  x: ArrayLike<number>;
}

/**
 * Applies the nonce's `k−1` Householder reflections to `x` (length `k`) in float32 and returns the
 * rotated vector (its length is preserved). Agrees with the network's CUDA run to ~1e-6.
 *
 * @example
 * ```ts
 * haarRotate({ blockHash, publicKey, nonce: 0, x: picked }); // Float32Array(12)
 * ```
 */
export function haarRotate(args: HaarRotateArgs): Float32Array {
  const { blockHash, publicKey, nonce } = args;
  const k = args.x?.length;
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError("x", "must be a non-empty array of numbers");
  const x = Float32Array.from(args.x);
  for (let j = 0; j < k - 1; j++) {
    const v = haarReflectionVector({ blockHash, publicKey, nonce, k, step: j });
    const twoDot = 2 * dotF32(x, v);
    for (let i = 0; i < k; i++) x[i] = x[i] - fround(twoDot * v[i]);
  }
  return x;
}
