/**
 * The randomness of PoC v2 (the network's `vllm/poc/gpu_random.py`): string seeds, a
 * one-block MurmurHash3 keyed by element index, uniforms and Box–Muller normals in float32.
 * Integers are exact; normals agree with the network's CUDA run to ~1e-6 (libm's last bits).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { InvalidArgumentError } from "../../errors.js";
import { utf8 } from "./bytes.js";

/** The largest `n` accepted by {@link normals} / {@link uniform} (keys are int32 element indices). */
export const MAX_STREAM_LENGTH = 2 ** 31 - 1;

/**
 * The seed of a seed string: the first 4 bytes of `sha256(utf8(s))`, big-endian, as an unsigned
 * 32-bit integer (`int(sha256(s).hexdigest()[:8], 16)`).
 *
 * @example
 * ```ts
 * seedFromString(""); // 3820012610
 * ```
 */
export function seedFromString(s: string): number {
  if (typeof s !== "string") throw new InvalidArgumentError("s", `expected a string, got ${typeof s}`);
  const d = sha256(utf8(s));
  return ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
}

/**
 * MurmurHash3_x86_32 of one 4-byte block `key` under `seed`, without the length mix-in (the
 * network's variant). Both arguments are taken modulo 2^32; the result is an unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * murmur3(0, 0); // 4279838538
 * ```
 */
export function murmur3(key: number, seed: number): number {
  let k = Math.imul(key | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let h = (seed | 0) ^ k;
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_POW_M32 = 2 ** -32;
const TWO_PI_F32 = Math.fround(6.283185307179586);
const U1_MIN_F32 = Math.fround(1e-10);
const fround = Math.fround;

function checkLength(n: unknown, argument = "n"): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_STREAM_LENGTH) {
    throw new InvalidArgumentError(argument, `must be an integer in 0…${MAX_STREAM_LENGTH}, got ${String(n)}`);
  }
  return n;
}

function checkSeed(seed: unknown): number {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new InvalidArgumentError("seed", `must be an unsigned 32-bit integer, got ${String(seed)}`);
  }
  return seed;
}

function checkOut(out: Float32Array | undefined, n: number): Float32Array {
  if (out === undefined) return new Float32Array(n);
  if (!(out instanceof Float32Array) || out.length < n) {
    throw new InvalidArgumentError("out", `must be a Float32Array of at least ${n} elements`);
  }
  return out;
}

/**
 * `u_i = float32(murmur3(i, seed)) / 2^32` for `i = 0…n-1` (float32; exactly 1.0 for hashes
 * ≥ 2^32−128).
 *
 * @example
 * ```ts
 * uniform(0, 2); // Float32Array [0.996477..., 0.530247...]
 * ```
 */
export function uniform(seed: number, n: number, out?: Float32Array): Float32Array {
  checkSeed(seed);
  checkLength(n);
  const o = checkOut(out, n);
  for (let i = 0; i < n; i++) o[i] = fround(murmur3(i, seed)) * TWO_POW_M32;
  return o;
}

/**
 * `n` standard normals from `seed` the network's way: `m = ceil(n/2)` uniform pairs
 * `(u[i], u[m+i])`, Box–Muller in float32, cosines first then sines (`[z0_0…z0_{m-1},
 * z1_0…z1_{m-1}]` truncated to `n`, not interleaved). Writes into `out` when given.
 *
 * Exact integers feed float32 `log`/`cos`/`sin`; results agree with CUDA to ~1e-6 absolute (CUDA's
 * libm rounds the last bit differently in about a fifth of the values).
 *
 * @example
 * ```ts
 * normals(seedFromString("…_nonce0"), 4096 * 1024); // a legacy-RNG input tensor, flat
 * ```
 */
export function normals(seed: number, n: number, out?: Float32Array): Float32Array {
  checkSeed(seed);
  checkLength(n);
  const o = checkOut(out, n);
  fillNormals(seed, n, o, 0);
  return o;
}

/** Writes `normals(seed, n)` into `o[offset … offset+n-1]` (no checks). */
export function fillNormals(seed: number, n: number, o: Float32Array, offset: number): void {
  const m = Math.ceil(n / 2);
  const s = seed | 0;
  for (let i = 0; i < m; i++) {
    let u1 = fround(murmur3(i, s)) * TWO_POW_M32;
    if (u1 < U1_MIN_F32) u1 = U1_MIN_F32;
    const u2 = fround(murmur3(m + i, s)) * TWO_POW_M32;
    const r = fround(Math.sqrt(-2 * fround(Math.log(u1))));
    const theta = fround(TWO_PI_F32 * u2);
    o[offset + i] = r * fround(Math.cos(theta));
    if (m + i < n) o[offset + m + i] = r * fround(Math.sin(theta));
  }
}
