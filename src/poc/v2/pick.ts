/**
 * The k-dim pick (spec §4.5): which `k` coordinates of the normalised hidden state become the
 * artifact, and in which order — the order CUDA's `topk(-score, k, sorted=False)` returns.
 */
import { InvalidArgumentError } from "../../errors.js";
import { checkNonce, type PocNonce } from "./inputs.js";
import { murmur3, seedFromString } from "./random.js";

/** The artifact's default dimension (`k_dim`, 12 on mainnet). */
export const DEFAULT_K_DIM = 12;

/** What {@link pickIndices} needs. */
export interface PickIndicesArgs {
  blockHash: string;
  publicKey: string;
  nonce: PocNonce;
  /** The hidden size (`get_hidden_size()` of the served model). */
  dim: number;
  /** How many coordinates (`k_dim`); default 12. */
  k?: number;
}

/** The seed string of a nonce's pick: `"{blockHash}_{publicKey}_nonce_{nonce}_pick_{k}"`. */
export function pickSeedString(blockHash: string, publicKey: string, nonce: PocNonce, k: number): string {
  return `${blockHash}_${publicKey}_nonce_${checkNonce(nonce)}_pick_${k}`;
}

/**
 * The `k` coordinates with the smallest `murmur3(d, seed)` scores, in the network's (CUDA) order:
 * the indices scoring strictly below the k-th smallest score in ascending index order, then the
 * index (on a 32-bit tie: indices, ascending) scoring exactly the k-th smallest. A CPU torch run
 * returns the same set in ascending score order instead; the order decides which coordinate meets
 * which Haar reflection, so it matters.
 *
 * @example
 * ```ts
 * pickIndices({ blockHash, publicKey, nonce: 0, dim: 4096 }); // [34, 642, …, 3766, 2977]
 * ```
 */
export function pickIndices(args: PickIndicesArgs): number[] {
  const { blockHash, publicKey, nonce, dim, k = DEFAULT_K_DIM } = args;
  if (!Number.isInteger(dim) || dim < 1 || dim > 2 ** 31 - 1) throw new InvalidArgumentError("dim", `must be a positive integer, got ${String(dim)}`);
  if (!Number.isInteger(k) || k < 1 || k > dim) throw new InvalidArgumentError("k", `must be an integer in 1…dim (${dim}), got ${String(k)}`);
  const seed = seedFromString(pickSeedString(blockHash, publicKey, nonce, k));
  // The k smallest (score, index) pairs, kept sorted; ties go to the lower index.
  const scores = new Float64Array(k).fill(Infinity);
  const idx = new Int32Array(k).fill(-1);
  let worst = Infinity;
  for (let d = 0; d < dim; d++) {
    const s = murmur3(d, seed);
    if (s >= worst) continue;
    let j = k - 1;
    while (j > 0 && scores[j - 1] > s) {
      scores[j] = scores[j - 1];
      idx[j] = idx[j - 1];
      j--;
    }
    scores[j] = s;
    idx[j] = d;
    worst = scores[k - 1];
  }
  const kth = scores[k - 1];
  const below: number[] = [];
  const at: number[] = [];
  for (let j = 0; j < k; j++) (scores[j] < kth ? below : at).push(idx[j]);
  below.sort((a, b) => a - b);
  at.sort((a, b) => a - b);
  return below.concat(at);
}
