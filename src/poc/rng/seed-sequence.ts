import { sha256 } from "@noble/hashes/sha2.js";
import { checkSeed, checkSize } from "./checks.js";
import { RngSeedError } from "./errors.js";

const utf8 = new TextEncoder();

/**
 * The entropy the network feeds to numpy's SeedSequence for a seed string: for `i < numHashes`,
 * `sha256(utf8(seed + "_" + i))` read as eight little-endian uint32 words, concatenated.
 *
 * @example
 * ```ts
 * const words = seedEntropy("ABCD_target", 1); // Uint32Array(8)
 * ```
 */
export function seedEntropy(seed: string, numHashes: number): Uint32Array {
  checkSeed("seed", seed);
  if (!Number.isInteger(numHashes) || numHashes < 1 || numHashes > 1 << 20) {
    throw new RngSeedError("numHashes", "must be an integer between 1 and 2^20");
  }
  const out = new Uint32Array(8 * numHashes);
  for (let i = 0; i < numHashes; i++) {
    const digest = sha256(utf8.encode(`${seed}_${i}`));
    const view = new DataView(digest.buffer, digest.byteOffset, 32);
    for (let w = 0; w < 8; w++) out[8 * i + w] = view.getUint32(4 * w, true);
  }
  return out;
}

const MULT_A = 0x931e8875;
const MULT_B = 0x58f38ded;
const INIT_A = 0x43b0d7e5;
const INIT_B = 0x8b51f9dd;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const POOL_SIZE = 4;

/**
 * numpy's `SeedSequence` for a given entropy (a sequence of uint32 words), restricted to what the
 * network uses: no spawn key, pool size 4. All arithmetic is mod 2^32 (`Math.imul`).
 *
 * @example
 * ```ts
 * const ss = new SeedSequence(seedEntropy("ABCD_target", 1));
 * const words = ss.generateState64(2); // BigUint64Array: PCG64's initstate / initseq halves
 * ```
 */
export class SeedSequence {
  /** The mixed entropy pool (4 uint32 words). */
  readonly pool: Uint32Array;

  constructor(entropy: ArrayLike<number>) {
    if (entropy === null || typeof entropy !== "object" || typeof entropy.length !== "number") {
      throw new RngSeedError("entropy", "must be an array of uint32 words");
    }
    for (let i = 0; i < entropy.length; i++) {
      const w = entropy[i];
      if (!Number.isInteger(w) || w < 0 || w > 0xffffffff) {
        throw new RngSeedError("entropy", `word ${i} is not a uint32`);
      }
    }
    this.pool = mixEntropy(entropy);
  }

  /** `generate_state(n, uint32)`: `n` words derived from the pool. */
  generateState32(n: number): Uint32Array {
    const count = checkSize("n", n);
    const out = new Uint32Array(count);
    let hash = INIT_B;
    for (let i = 0; i < count; i++) {
      let v = (this.pool[i % POOL_SIZE] ^ hash) >>> 0;
      hash = Math.imul(hash, MULT_B) >>> 0;
      v = Math.imul(v, hash) >>> 0;
      v = (v ^ (v >>> 16)) >>> 0;
      out[i] = v;
    }
    return out;
  }

  /** `generate_state(n, uint64)`: `2n` uint32 words paired little-endian. */
  generateState64(n: number): BigUint64Array {
    const count = checkSize("n", n, 2 ** 31);
    const words = this.generateState32(2 * count);
    const out = new BigUint64Array(count);
    for (let i = 0; i < count; i++) out[i] = BigInt(words[2 * i]) | (BigInt(words[2 * i + 1]) << 32n);
    return out;
  }
}

function mixEntropy(entropy: ArrayLike<number>): Uint32Array {
  let hashConst = INIT_A;
  const hashmix = (value: number): number => {
    let v = (value ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_A) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    return (v ^ (v >>> 16)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    return (r ^ (r >>> 16)) >>> 0;
  };
  const pool = new Uint32Array(POOL_SIZE);
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i] : 0);
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) {
      if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
    }
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
  }
  return pool;
}
