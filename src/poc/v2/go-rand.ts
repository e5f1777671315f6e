/**
 * Go's `math/rand` as `rand.New(rand.NewSource(seed))` produces it (the additive lagged-Fibonacci
 * `rngSource`, 607 words, taps 607/273), with `Int63`, `Int31`, `Int31n`, `Int63n` and `Intn`
 * exactly as Go computes them. The network node draws its validators' leaf samples from it.
 */
import { GO_RNG_COOKED_LOW63 } from "./go-rand-cooked.js";

const LEN = 607;
const TAP = 273;
const M31 = 2147483647; // 2^31 - 1
const MASK63 = (1n << 63n) - 1n;

let cooked: bigint[] | undefined;
function cookedTable(): bigint[] {
  if (!cooked) cooked = GO_RNG_COOKED_LOW63.trim().split(/\s+/).map((s) => BigInt(s));
  return cooked;
}

/** `x ↦ 48271·x mod (2^31−1)` in Schrage's form (Go's `seedrand`). */
function seedrand(x: number): number {
  const hi = Math.trunc(x / 44488);
  const lo = x % 44488;
  let r = 48271 * lo - 3399 * hi;
  if (r < 0) r += M31;
  return r;
}

/** A Go `*rand.Rand` over `rand.NewSource(seed)`. */
export class GoRand {
  /** High 31 bits (bits 32…62) of each 63-bit word. */
  private readonly hi = new Uint32Array(LEN);
  /** Low 32 bits of each word. */
  private readonly lo = new Uint32Array(LEN);
  private tap = 0;
  private feed = LEN - TAP;

  /** Seeds like Go's `rngSource.Seed(seed)` (any int64, as a bigint or a safe integer). */
  constructor(seed: bigint | number) {
    let s = BigInt(seed) % BigInt(M31);
    if (s < 0n) s += BigInt(M31);
    if (s === 0n) s = 89482311n;
    let x = Number(s);
    const table = cookedTable();
    for (let i = -20; i < LEN; i++) {
      x = seedrand(x);
      if (i >= 0) {
        let u = BigInt(x) << 40n;
        x = seedrand(x);
        u ^= BigInt(x) << 20n;
        x = seedrand(x);
        u ^= BigInt(x);
        u = (u ^ table[i]) & MASK63;
        this.hi[i] = Number(u >> 32n);
        this.lo[i] = Number(u & 0xffffffffn);
      }
    }
  }

  /** Advances the generator; returns the new word's high 31 bits and leaves its index in `last`. */
  private step(): number {
    if (--this.tap < 0) this.tap += LEN;
    if (--this.feed < 0) this.feed += LEN;
    const f = this.feed;
    const t = this.tap;
    const lo = this.lo[f] + this.lo[t];
    const carry = lo > 0xffffffff ? 1 : 0;
    this.lo[f] = lo >>> 0;
    this.hi[f] = (this.hi[f] + this.hi[t] + carry) & 0x7fffffff;
    return f;
  }

  /** A non-negative 63-bit integer (Go's `Int63`). */
  int63(): bigint {
    const f = this.step();
    return (BigInt(this.hi[f]) << 32n) | BigInt(this.lo[f]);
  }

  /** A non-negative 31-bit integer (`Int63() >> 32`). */
  int31(): number {
    return this.hi[this.step()];
  }

  /** Uniform in `[0, n)` for `0 < n < 2^31`, Go's `Int31n` (mask for powers of two, else rejection then `%`). */
  int31n(n: number): number {
    if ((n & (n - 1)) === 0) return this.int31() & (n - 1);
    const max = M31 - (2147483648 % n);
    let v = this.int31();
    while (v > max) v = this.int31();
    return v % n;
  }

  /** Uniform in `[0, n)` for `0 < n < 2^63`, Go's `Int63n`. */
  int63n(n: bigint): bigint {
    if ((n & (n - 1n)) === 0n) return this.int63() & (n - 1n);
    const max = MASK63 - ((1n << 63n) % n);
    let v = this.int63();
    while (v > max) v = this.int63();
    return v % n;
  }

  /** Go's `Intn(n)`: `Int31n` when `n ≤ 2^31−1`, else `Int63n`. `n` must be a positive safe integer. */
  intn(n: number): number {
    if (n <= M31) return this.int31n(n);
    return Number(this.int63n(BigInt(n)));
  }
}
