import { allocate, checkSize } from "./checks.js";
import { RngSizeError } from "./errors.js";
import { BUF, BUF_BYTES, type KernelExports } from "./kernel.js";
import { Pcg64 } from "./pcg64.js";
import { SeedSequence, seedEntropy } from "./seed-sequence.js";
import { InvalidArgumentError } from "../../errors.js";

const F64_CHUNK = BUF_BYTES / 8;
const U16_CHUNK = BUF_BYTES / 2;
const U32_CHUNK = BUF_BYTES / 4;
const F32_CHUNK = BUF_BYTES / 4;

type Size = number | bigint;

/**
 * numpy's `Generator` over a {@link Pcg64}: uniform doubles, ziggurat standard normals,
 * normals, and permutations, each reproducing numpy's stream bit for bit. Bulk methods fill typed
 * arrays from the WebAssembly kernel without allocating per draw; the `fill*` variants write into
 * arrays you own (for reuse across nonces).
 *
 * @example
 * ```ts
 * const rng = new Generator(new Pcg64(new SeedSequence(seedEntropy("ABCD_target", 1))));
 * const z = rng.standardNormal(1000); // Float64Array
 * const p = rng.permutation(10);      // Uint32Array
 * ```
 */
export class Generator {
  /** The underlying bit generator (its state advances as this generator draws). */
  readonly bitGenerator: Pcg64;

  constructor(bitGenerator: Pcg64) {
    if (!(bitGenerator instanceof Pcg64)) throw new InvalidArgumentError("bitGenerator", "must be a Pcg64");
    this.bitGenerator = bitGenerator;
  }

  /** `n` uniform doubles in [0, 1) (numpy's `random(n)`). */
  random(n: Size): Float64Array {
    const out = allocate("n", checkSize("n", n), 8, (m) => new Float64Array(m));
    return this.fillRandom(out);
  }

  /** Fills `out` with uniform doubles in [0, 1); returns `out`. */
  fillRandom(out: Float64Array): Float64Array {
    return this.#chunks(out, F64_CHUNK, (k, m) => k.fill_double(BUF, m), Float64Array);
  }

  /** `n` standard normals (numpy's `standard_normal(n)`). */
  standardNormal(n: Size): Float64Array {
    const out = allocate("n", checkSize("n", n), 8, (m) => new Float64Array(m));
    return this.fillStandardNormal(out);
  }

  /** Fills `out` with standard normals; returns `out`. */
  fillStandardNormal(out: Float64Array): Float64Array {
    return this.#chunks(out, F64_CHUNK, (k, m) => k.fill_normal(BUF, m, 0, 1, 0), Float64Array);
  }

  /** `n` normals `loc + scale * z` (numpy's `normal(loc, scale, n)`). */
  normal(loc: number, scale: number, n: Size): Float64Array {
    checkLocScale(loc, scale);
    const out = allocate("n", checkSize("n", n), 8, (m) => new Float64Array(m));
    return this.fillNormal(out, loc, scale);
  }

  /** Fills `out` with normals `loc + scale * z`; returns `out`. */
  fillNormal(out: Float64Array, loc: number, scale: number): Float64Array {
    checkLocScale(loc, scale);
    return this.#chunks(out, F64_CHUNK, (k, m) => k.fill_normal(BUF, m, loc, scale, 1), Float64Array);
  }

  /**
   * Fills `out` with IEEE float16 bit patterns of standard normals, rounded float64 → float32 →
   * float16 as numpy `.astype(float32)` then torch `.to(float16)` do. Returns `out`.
   */
  fillStandardNormalFloat16(out: Uint16Array): Uint16Array {
    return this.#chunks(out, U16_CHUNK, (k, m) => k.fill_normal_f16(BUF, m, 0, 1, 0), Uint16Array);
  }

  /**
   * Like {@link fillStandardNormalFloat16} but stores each float16-rounded value widened (exactly)
   * to float32 — what a float32 forward pass consumes, without a separate conversion pass.
   */
  fillStandardNormalFloat16AsFloat32(out: Float32Array): Float32Array {
    return this.#chunks(out, F32_CHUNK, (k, m) => k.fill_normal_h32(BUF, m, 0, 1, 0), Float32Array);
  }

  /** Like {@link fillStandardNormalFloat16AsFloat32} for `normal(loc, scale)`. */
  fillNormalFloat16AsFloat32(out: Float32Array, loc: number, scale: number): Float32Array {
    checkLocScale(loc, scale);
    return this.#chunks(out, F32_CHUNK, (k, m) => k.fill_normal_h32(BUF, m, loc, scale, 1), Float32Array);
  }

  /** Like {@link fillStandardNormalFloat16} for `normal(loc, scale)`. */
  fillNormalFloat16(out: Uint16Array, loc: number, scale: number): Uint16Array {
    checkLocScale(loc, scale);
    return this.#chunks(out, U16_CHUNK, (k, m) => k.fill_normal_f16(BUF, m, loc, scale, 1), Uint16Array);
  }

  /**
   * A random permutation of `0 … n-1` (numpy's `permutation(n)`: `arange(n)` shuffled by
   * Fisher–Yates with masked-rejection bounded draws from the buffered `next_uint32`).
   */
  permutation(n: Size): Uint32Array {
    const count = checkSize("n", n);
    const out = allocate("n", count, 4, (m) => new Uint32Array(m));
    for (let i = 0; i < count; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** Shuffles `arr` in place exactly as numpy's `shuffle` does for a 1-D array; returns `arr`. */
  shuffle<A extends { length: number; [i: number]: number }>(arr: A): A {
    const n = arr.length;
    if (n > 2 ** 32) throw new RngSizeError("arr", n, "longer than 2^32 elements");
    let i = n - 1;
    while (i >= 1) {
      const m = Math.min(U32_CHUNK, i);
      const top = i;
      const js = this.bitGenerator.run((k) => {
        k.fill_interval32(BUF, m, top);
        return new Uint32Array(k.memory.buffer, BUF, m);
      });
      for (let t = 0; t < m; t++, i--) {
        const j = js[t];
        const tmp = arr[i];
        arr[i] = arr[j];
        arr[j] = tmp;
      }
    }
    return arr;
  }

  #chunks<A extends Float64Array | Float32Array | Uint16Array>(
    out: A,
    chunk: number,
    fill: (k: KernelExports, m: number) => void,
    View: { new (buffer: ArrayBuffer, offset: number, length: number): A },
  ): A {
    const n = out.length;
    this.bitGenerator.run((k) => {
      for (let off = 0; off < n; off += chunk) {
        const m = Math.min(chunk, n - off);
        fill(k, m);
        out.set(new View(k.memory.buffer, BUF, m), off);
      }
    });
    return out;
  }
}

function checkLocScale(loc: number, scale: number): void {
  if (typeof loc !== "number" || Number.isNaN(loc)) throw new InvalidArgumentError("loc", "must be a number");
  if (typeof scale !== "number" || !(scale >= 0)) throw new InvalidArgumentError("scale", "must be a non-negative number");
}

/**
 * The generator the network builds for a seed string:
 * `Generator(PCG64(SeedSequence(seedEntropy(seed, numHashes))))`.
 *
 * @example
 * ```ts
 * const target = rngFromSeed(`${blockHash}_target`, 1).standardNormal(8196);
 * ```
 */
export function rngFromSeed(seed: string, numHashes: number): Generator {
  return new Generator(new Pcg64(new SeedSequence(seedEntropy(seed, numHashes))));
}
