/**
 * Cosmos `LegacyDec`: a signed fixed-point decimal with 18 places, the type the chain computes
 * PoC weights in. Exact (bigint); multiplication rounds half to even like the chain.
 */
import { InvalidArgumentError } from "../../errors.js";

const PRECISION = 18;
const ONE = 10n ** 18n;

/**
 * An 18-decimal fixed-point number (`value = scaled / 10^18`).
 *
 * @example
 * ```ts
 * LegacyDec.fromString("0.3593").mulInt(116881n).truncateInt(); // 41995n
 * ```
 */
export class LegacyDec {
  /** The value times 10^18. */
  readonly scaled: bigint;
  private constructor(scaled: bigint) {
    this.scaled = scaled;
  }

  /** From the value times 10^18. */
  static fromScaled(scaled: bigint): LegacyDec {
    if (typeof scaled !== "bigint") throw new InvalidArgumentError("scaled", "expected a bigint");
    return new LegacyDec(scaled);
  }

  /** From an integer. */
  static fromInt(n: bigint | number): LegacyDec {
    if (typeof n === "number" && !Number.isSafeInteger(n)) throw new InvalidArgumentError("n", `must be a safe integer, got ${n}`);
    return new LegacyDec(BigInt(n) * ONE);
  }

  /**
   * From a decimal string (`"0.3593"`, `"-1.5"`, `"27"`) with at most 18 decimal places, as
   * `LegacyNewDecFromStr` accepts it.
   */
  static fromString(s: string): LegacyDec {
    const m = typeof s === "string" ? /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(s) : null;
    if (!m) throw new InvalidArgumentError("decimal", `expected a decimal string like "0.3593", got ${JSON.stringify(s)}`);
    const frac = m[3] ?? "";
    if (frac.length > PRECISION) throw new InvalidArgumentError("decimal", `has ${frac.length} decimal places, at most ${PRECISION} allowed`);
    const v = BigInt(m[2]) * ONE + BigInt(frac.padEnd(PRECISION, "0") || "0");
    return new LegacyDec(m[1] ? -v : v);
  }

  /**
   * From the chain's `Decimal{value, exponent}` (`value · 10^exponent`, e.g. `{3593, -4}` = 0.3593).
   *
   * @throws {InvalidArgumentError} when `exponent < -18` (more precision than LegacyDec holds).
   */
  static fromValueExponent(value: bigint | number, exponent: number): LegacyDec {
    if (typeof value === "number" && !Number.isSafeInteger(value)) throw new InvalidArgumentError("value", `must be a safe integer, got ${value}`);
    if (!Number.isInteger(exponent) || exponent < -PRECISION || exponent > 60) {
      throw new InvalidArgumentError("exponent", `must be an integer in -18…60, got ${String(exponent)}`);
    }
    return new LegacyDec(BigInt(value) * 10n ** BigInt(PRECISION + exponent));
  }

  /** `this · other`, rounded half to even at 18 places (the chain's `Mul`). */
  mul(other: LegacyDec): LegacyDec {
    return new LegacyDec(roundHalfEven(this.scaled * other.scaled, ONE));
  }

  /** `this · n` for an integer `n` (exact). */
  mulInt(n: bigint | number): LegacyDec {
    if (typeof n === "number" && !Number.isSafeInteger(n)) throw new InvalidArgumentError("n", `must be a safe integer, got ${n}`);
    return new LegacyDec(this.scaled * BigInt(n));
  }

  /** The integer part, rounding toward zero (`TruncateInt`). */
  truncateInt(): bigint {
    return this.scaled / ONE;
  }

  /** The chain's text form: always 18 decimal places (`"0.946750000000000000"`). */
  toString(): string {
    const neg = this.scaled < 0n;
    const a = neg ? -this.scaled : this.scaled;
    return `${neg ? "-" : ""}${a / ONE}.${(a % ONE).toString().padStart(PRECISION, "0")}`;
  }

  /** The nearest float64 (for display; compute with the exact methods). */
  toNumber(): number {
    return Number(this.toString());
  }
}

/** `n / d` rounded half to even (`d > 0`). */
function roundHalfEven(n: bigint, d: bigint): bigint {
  let q = n / d;
  let r = n % d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  const twice = 2n * r;
  if (twice > d || (twice === d && q % 2n !== 0n)) q += 1n;
  return q;
}

/** `n / d` rounded to `places` decimals, halves away from zero (shopspring `DivRound`); returned times 10^places. */
export function divRoundHalfAwayScaled(n: bigint, d: bigint, places: number): bigint {
  if (d === 0n) throw new InvalidArgumentError("divisor", "is zero");
  const neg = (n < 0n) !== (d < 0n);
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const scaledN = an * 10n ** BigInt(places);
  let q = scaledN / ad;
  if (2n * (scaledN % ad) >= ad) q += 1n;
  return neg ? -q : q;
}
