import { RngSeedError } from "./errors.js";
import { kernel, PCG_MULT, type KernelExports } from "./kernel.js";
import { SeedSequence } from "./seed-sequence.js";

const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;

/** A complete PCG64 state, as numpy's `bit_generator.state` describes it. */
export interface Pcg64State {
  /** The 128-bit LCG state. */
  state: bigint;
  /** The 128-bit increment (always odd). */
  inc: bigint;
  /** Whether a buffered high half of a previous draw is waiting for `nextUint32`. */
  hasUint32: boolean;
  /** The buffered uint32 (meaningful when `hasUint32`). */
  uinteger: number;
}

/** The generator whose state currently lives in the kernel's memory. */
let owner: Pcg64 | null = null;

/**
 * numpy's `PCG64` bit generator: a 128-bit LCG (multiplier 0x2360ED051FC65DA44385DF649FCCF645)
 * with the XSL-RR 64-bit output. The arithmetic runs in a WebAssembly kernel on 64-bit halves;
 * the state is kept as 32-bit words, so many generators can coexist cheaply.
 *
 * @example
 * ```ts
 * const bits = new Pcg64(new SeedSequence(seedEntropy("seed", 1)));
 * bits.nextUint64(); // bigint
 * bits.nextDouble(); // in [0, 1)
 * ```
 */
export class Pcg64 {
  /** state lo/hi, inc lo/hi as uint32 words little-endian, then has_uint32 and the buffered uint32. */
  readonly #words = new Uint32Array(10);

  /** Seeds from a SeedSequence (as numpy does) or sets an explicit state. */
  constructor(seed: SeedSequence | Pcg64State) {
    if (seed instanceof SeedSequence) {
      const w = seed.generateState64(4);
      const initState = (w[0] << 64n) | w[1];
      const initSeq = (w[2] << 64n) | w[3];
      const inc = ((initSeq << 1n) | 1n) & MASK128;
      let state = inc; // state = 0; step
      state = (state + initState) & MASK128;
      state = (state * PCG_MULT + inc) & MASK128;
      this.#setWords({ state, inc, hasUint32: false, uinteger: 0 });
    } else if (seed && typeof seed === "object" && typeof seed.state === "bigint" && typeof seed.inc === "bigint") {
      this.#setWords(seed);
    } else {
      throw new RngSeedError("seed", "must be a SeedSequence or a PCG64 state object");
    }
  }

  #setWords(s: Pcg64State): void {
    if (owner === this) owner = null;
    const w = this.#words;
    const state = BigInt.asUintN(128, s.state);
    const inc = BigInt.asUintN(128, s.inc);
    for (let i = 0; i < 4; i++) {
      w[i] = Number((state >> BigInt(32 * i)) & 0xffffffffn);
      w[4 + i] = Number((inc >> BigInt(32 * i)) & 0xffffffffn);
    }
    w[8] = s.hasUint32 ? 1 : 0;
    w[9] = s.uinteger >>> 0;
  }

  #current(): Uint32Array {
    if (owner === this) return new Uint32Array(kernel().memory.buffer, 0, 10);
    return this.#words;
  }

  /**
   * Runs `fn` with this generator's state loaded into the kernel (saving the previous owner's).
   * For the SDK's bulk samplers; the state is written back lazily.
   */
  run<R>(fn: (k: KernelExports) => R): R {
    const k = kernel();
    if (owner !== this) {
      const mem = new Uint32Array(k.memory.buffer, 0, 10);
      if (owner) owner.#words.set(mem);
      mem.set(this.#words);
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the kernel records whose state it holds
      owner = this;
    }
    return fn(k);
  }

  /** The 128-bit LCG state. */
  get state(): bigint {
    return this.getState().state;
  }

  /** The 128-bit increment. */
  get inc(): bigint {
    return this.getState().inc;
  }

  /** A snapshot of the complete state. */
  getState(): Pcg64State {
    const w = this.#current();
    let state = 0n;
    let inc = 0n;
    for (let i = 3; i >= 0; i--) {
      state = (state << 32n) | BigInt(w[i]);
      inc = (inc << 32n) | BigInt(w[4 + i]);
    }
    return { state, inc, hasUint32: w[8] !== 0, uinteger: w[9] };
  }

  /** Replaces the complete state. */
  setState(s: Pcg64State): void {
    if (!s || typeof s.state !== "bigint" || typeof s.inc !== "bigint") {
      throw new RngSeedError("state", "must have bigint state and inc");
    }
    this.#setWords(s);
  }

  /** The next raw 64-bit output. */
  nextUint64(): bigint {
    return BigInt.asUintN(64, this.run((k) => k.next_u64()));
  }

  /** The next 32-bit output: the low half of a fresh 64-bit draw, then its buffered high half. */
  nextUint32(): number {
    return this.run((k) => {
      const mem = new Uint32Array(k.memory.buffer, 0, 10);
      if (mem[8]) {
        mem[8] = 0;
        return mem[9];
      }
      const v = BigInt.asUintN(64, k.next_u64());
      mem[8] = 1;
      mem[9] = Number(v >> 32n);
      return Number(v & 0xffffffffn);
    });
  }

  /** The next double in [0, 1): `(nextUint64 >> 11) * 2^-53`. */
  nextDouble(): number {
    return Number(this.nextUint64() >> 11n) * 2 ** -53;
  }

  /**
   * Jumps the LCG ahead by `delta` steps (taken mod 2^128, so negative values go back) in
   * O(log delta); like numpy, this also drops a buffered uint32.
   */
  advance(delta: bigint | number): this {
    if (typeof delta === "number" && !Number.isSafeInteger(delta)) {
      throw new RngSeedError("delta", "must be a safe integer or a bigint");
    }
    if (typeof delta !== "number" && typeof delta !== "bigint") {
      throw new RngSeedError("delta", "must be a safe integer or a bigint");
    }
    let d = BigInt.asUintN(128, BigInt(delta));
    const s = this.getState();
    let accMult = 1n;
    let accPlus = 0n;
    let curMult = PCG_MULT;
    let curPlus = s.inc;
    while (d > 0n) {
      if (d & 1n) {
        accMult = (accMult * curMult) & MASK128;
        accPlus = (accPlus * curMult + curPlus) & MASK128;
      }
      curPlus = ((curMult + 1n) * curPlus) & MASK128;
      curMult = (curMult * curMult) & MASK128;
      d >>= 1n;
    }
    this.#setWords({ state: (accMult * s.state + accPlus) & MASK128, inc: s.inc, hasUint32: false, uinteger: 0 });
    return this;
  }
}

/** Reference XSL-RR output of a 128-bit state (BigInt; for tests and documentation). */
export function xslRr(state: bigint): bigint {
  const hi = (state >> 64n) & MASK64;
  const lo = state & MASK64;
  const x = hi ^ lo;
  const rot = hi >> 58n;
  return ((x >> rot) | (x << ((64n - rot) & 63n))) & MASK64;
}
