import { allocate, checkSeed, checkSize, nonceString } from "./checks.js";
import { RngSizeError } from "./errors.js";
import { rngFromSeed } from "./generator.js";

/** Integer nonce as the network formats it (decimal). */
export type Nonce = number | bigint;

/** Seed string of one nonce's input embeddings: `{blockHash}_{publicKey}_nonce{nonce}`. */
export function pocInputsSeed(blockHash: string, publicKey: string, nonce: Nonce): string {
  return `${checkSeed("blockHash", blockHash)}_${checkSeed("publicKey", publicKey)}_nonce${nonceString(nonce)}`;
}

/** Seed string of one nonce's output permutation: `{blockHash}_{publicKey}_nonce_{nonce}_permutations`. */
export function pocPermutationSeed(blockHash: string, publicKey: string, nonce: Nonce): string {
  return `${checkSeed("blockHash", blockHash)}_${checkSeed("publicKey", publicKey)}_nonce_${nonceString(nonce)}_permutations`;
}

/** Seed string of the target vector: `{blockHash}_target`. */
export function pocTargetSeed(blockHash: string): string {
  return `${checkSeed("blockHash", blockHash)}_target`;
}

/**
 * One nonce's input embeddings, `standard_normal((1, seqLen, dim))` from the seed
 * {@link pocInputsSeed} (4 hashes), rounded float64 → float32 → float16. Returns float16 bit
 * patterns in row-major `[seqLen, dim]` order; pass `out` (length ≥ seqLen·dim, e.g. a slice of a
 * batch buffer) to avoid allocating.
 *
 * @example
 * ```ts
 * const x = pocInputs(blockHash, publicKey, 42n, 256, 1792); // Uint16Array(458752)
 * const f = float16ArrayToFloat32(x);
 * ```
 */
export function pocInputs(
  blockHash: string,
  publicKey: string,
  nonce: Nonce,
  seqLen: number,
  dim: number,
  out?: Uint16Array,
): Uint16Array {
  const n = checkSize("seqLen", seqLen) * checkSize("dim", dim);
  checkSize("seqLen * dim", n);
  const seed = pocInputsSeed(blockHash, publicKey, nonce);
  const target = out ? out.subarray(0, n) : allocate("seqLen * dim", n, 2, (m) => new Uint16Array(m));
  if (target.length < n) throw new RngSizeError("out", target.length, `has ${target.length} elements, needs ${n}`);
  return rngFromSeed(seed, 4).fillStandardNormalFloat16(target);
}

/**
 * {@link pocInputs} as float32 values (each exactly the float16 value, widened) — the input of a
 * float32 forward pass, produced in one pass. Pass `out` (length ≥ seqLen·dim) to avoid allocating.
 *
 * @example
 * ```ts
 * const x = pocInputsFloat32(blockHash, publicKey, 42n, 256, 1792); // Float32Array(458752)
 * ```
 */
export function pocInputsFloat32(
  blockHash: string,
  publicKey: string,
  nonce: Nonce,
  seqLen: number,
  dim: number,
  out?: Float32Array,
): Float32Array {
  const n = checkSize("seqLen", seqLen) * checkSize("dim", dim);
  checkSize("seqLen * dim", n);
  const seed = pocInputsSeed(blockHash, publicKey, nonce);
  const target = out ? out.subarray(0, n) : allocate("seqLen * dim", n, 4, (m) => new Float32Array(m));
  if (target.length < n) throw new RngSizeError("out", target.length, `has ${target.length} elements, needs ${n}`);
  return rngFromSeed(seed, 4).fillStandardNormalFloat16AsFloat32(target);
}

/**
 * Inputs of several nonces in one buffer, `[nonces.length, seqLen, dim]` float16 bits — what a
 * batched forward pass consumes.
 */
export function pocInputsBatch(
  blockHash: string,
  publicKey: string,
  nonces: readonly Nonce[],
  seqLen: number,
  dim: number,
): Uint16Array {
  const per = checkSize("seqLen", seqLen) * checkSize("dim", dim);
  const total = checkSize("nonces.length * seqLen * dim", per * nonces.length);
  const out = allocate("nonces.length * seqLen * dim", total, 2, (m) => new Uint16Array(m));
  nonces.forEach((nonce, i) => pocInputs(blockHash, publicKey, nonce, seqLen, dim, out.subarray(i * per, (i + 1) * per)));
  return out;
}

/**
 * One nonce's output permutation: `permutation(vocabSize)` from the seed
 * {@link pocPermutationSeed} (1 hash). Logits are read as `logits[perm[i]]`.
 *
 * @example
 * ```ts
 * const perm = pocPermutation(blockHash, publicKey, 42n, 8196); // Uint32Array
 * ```
 */
export function pocPermutation(blockHash: string, publicKey: string, nonce: Nonce, vocabSize: number): Uint32Array {
  const seed = pocPermutationSeed(blockHash, publicKey, nonce);
  return rngFromSeed(seed, 1).permutation(vocabSize);
}

/**
 * The target vector: `standard_normal(vocabSize)` from the seed {@link pocTargetSeed} (1 hash),
 * divided by its L2 norm computed as numpy's `sqrt(sum(t * t))` (pairwise summation, so the result
 * is bit-for-bit numpy's).
 *
 * @example
 * ```ts
 * const target = pocTarget(blockHash, 8196); // Float64Array, unit length
 * ```
 */
export function pocTarget(blockHash: string, vocabSize: number): Float64Array {
  const t = rngFromSeed(pocTargetSeed(blockHash), 1).standardNormal(vocabSize);
  const sq = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) sq[i] = t[i] * t[i];
  const norm = Math.sqrt(pairwiseSum(sq, 0, sq.length));
  for (let i = 0; i < t.length; i++) t[i] = t[i] / norm;
  return t;
}

/**
 * numpy's pairwise summation of a contiguous float64 array (blocks of ≤128 with eight partial
 * sums, halves split at multiples of 8) — what `np.sum` returns, bit for bit.
 */
export function pairwiseSum(a: Float64Array, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const p = start + i;
      r0 += a[p]; r1 += a[p + 1]; r2 += a[p + 2]; r3 += a[p + 3];
      r4 += a[p + 4]; r5 += a[p + 5]; r6 += a[p + 6]; r7 += a[p + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}
