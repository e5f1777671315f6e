/**
 * An exact decimal number with the semantics the chain's Go code uses (`shopspring/decimal`
 * v1.4.0): a bigint coefficient and a base-10 exponent, exact addition, subtraction and
 * multiplication, division rounded to 16 digits after the point (ties away from zero), and the
 * same printed form (`"0.05"`, `"100"`, `"-0.69314718056"`, trailing zeros dropped).
 *
 * The coefficient/exponent pair is kept as computed, not normalised, because the chain stores it
 * that way (an LLR of `ln 2` rounded to 12 places is `{ value: 693147180560n, exponent: -12 }`).
 *
 * @example
 * ```ts
 * Decimal.from("0.95").mul(Decimal.from(4850).div(Decimal.from(4900))).toString(); // "0.940306122448979555"
 * ```
 */
import { InvalidArgumentError } from "../../errors.js";

/** The number of digits after the point that {@link Decimal.div} keeps (shopspring's `DivisionPrecision`). */
export const DIVISION_PRECISION = 16;

const TEN = 10n;

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** Integer division of n by d (d > 0) rounded half away from zero. */
function divRoundHalfAway(n: bigint, d: bigint): bigint {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d; // truncates toward zero
  const r = n - q * d;
  if (2n * abs(r) >= d) return n < 0n ? q - 1n : q + 1n;
  return q;
}

/** Input accepted wherever a decimal is expected. */
export type DecimalInput = Decimal | bigint | number | string | { value: bigint | number | string; exponent: number };

/** An exact decimal `value × 10^exponent` (see the module comment). Immutable. */
export class Decimal {
  /** The coefficient. */
  readonly value: bigint;
  /** The base-10 exponent. */
  readonly exponent: number;

  constructor(value: bigint, exponent: number) {
    if (!Number.isInteger(exponent)) throw new InvalidArgumentError("exponent", "must be an integer");
    this.value = value;
    this.exponent = exponent;
  }

  /** `0` with exponent 0 (Go's zero value `decimal.Decimal{}`). */
  static readonly ZERO = new Decimal(0n, 0);
  /** `1`. */
  static readonly ONE = new Decimal(1n, 0);

  /**
   * Converts a decimal string (`"0.05"`, `"-3.99"`, `"1e-6"`), a bigint, a safe integer, a
   * `{ value, exponent }` pair (the chain's `Decimal` message) or a Decimal.
   * A non-integer `number` is refused: pass a string, or use `decimalFromFloat` first.
   */
  static from(input: DecimalInput): Decimal {
    if (input instanceof Decimal) return input;
    if (typeof input === "bigint") return new Decimal(input, 0);
    if (typeof input === "number") {
      if (!Number.isSafeInteger(input)) {
        throw new InvalidArgumentError("decimal", "a number must be a safe integer; pass a decimal string for fractions");
      }
      return new Decimal(BigInt(input), 0);
    }
    if (typeof input === "string") return Decimal.parse(input);
    if (input !== null && typeof input === "object" && "value" in input && "exponent" in input) {
      const v = input.value;
      let value: bigint;
      if (typeof v === "bigint") value = v;
      else if (typeof v === "number" && Number.isSafeInteger(v)) value = BigInt(v);
      else if (typeof v === "string" && /^-?[0-9]+$/.test(v)) value = BigInt(v);
      else throw new InvalidArgumentError("decimal.value", "expected an integer (bigint, safe integer or digit string)");
      if (!Number.isInteger(input.exponent)) throw new InvalidArgumentError("decimal.exponent", "expected an integer");
      return new Decimal(value, input.exponent);
    }
    throw new InvalidArgumentError("decimal", "expected a Decimal, bigint, safe integer, decimal string or { value, exponent }");
  }

  /** Parses `"-12.340"`, `"5"`, `"1e-6"`, `"2.5E+3"` exactly (the exponent is kept as written). */
  static parse(text: string): Decimal {
    const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text.trim());
    if (!m || (m[2] === "" && (m[3] ?? "") === "")) {
      throw new InvalidArgumentError("decimal", `"${text.slice(0, 40)}" is not a decimal number`);
    }
    const frac = m[3] ?? "";
    const digits = (m[2] ?? "") + frac;
    let value = BigInt(digits === "" ? "0" : digits);
    if (m[1] === "-") value = -value;
    const exp = (m[4] !== undefined ? Number.parseInt(m[4], 10) : 0) - frac.length;
    return new Decimal(value, exp);
  }

  private rescaled(exp: number): bigint {
    // exp <= this.exponent: exact
    return this.value * pow10(this.exponent - exp);
  }

  /** Exact sum; the result has the smaller of the two exponents. */
  add(other: DecimalInput): Decimal {
    const o = Decimal.from(other);
    const e = Math.min(this.exponent, o.exponent);
    return new Decimal(this.rescaled(e) + o.rescaled(e), e);
  }

  /** Exact difference; the result has the smaller of the two exponents. */
  sub(other: DecimalInput): Decimal {
    const o = Decimal.from(other);
    const e = Math.min(this.exponent, o.exponent);
    return new Decimal(this.rescaled(e) - o.rescaled(e), e);
  }

  /** Exact product (coefficients multiplied, exponents added). */
  mul(other: DecimalInput): Decimal {
    const o = Decimal.from(other);
    return new Decimal(this.value * o.value, this.exponent + o.exponent);
  }

  /** `-this`. */
  neg(): Decimal {
    return new Decimal(-this.value, this.exponent);
  }

  /**
   * Quotient rounded to `precision` digits after the point, ties away from zero; the result has
   * exponent `-precision`. Throws on division by zero.
   */
  divRound(other: DecimalInput, precision: number): Decimal {
    const o = Decimal.from(other);
    if (o.value === 0n) throw new InvalidArgumentError("divisor", "division by zero");
    const s = this.exponent - o.exponent + precision;
    const n = s >= 0 ? this.value * pow10(s) : this.value;
    const d = s >= 0 ? o.value : o.value * pow10(-s);
    return new Decimal(divRoundHalfAway(n, d), -precision);
  }

  /** Quotient rounded to 16 digits after the point (shopspring `Div`). */
  div(other: DecimalInput): Decimal {
    return this.divRound(other, DIVISION_PRECISION);
  }

  /** Rounds to `places` digits after the point, ties away from zero; the result has exponent `-places`. */
  round(places: number): Decimal {
    if (this.exponent === -places) return this;
    if (this.exponent > -places) return new Decimal(this.rescaled(-places), -places);
    return new Decimal(divRoundHalfAway(this.value, pow10(-places - this.exponent)), -places);
  }

  /** Drops digits after `places` without rounding (no change when there are fewer). */
  truncate(places: number): Decimal {
    if (places < 0) throw new InvalidArgumentError("places", "must be >= 0");
    if (-places > this.exponent) return new Decimal(this.value / pow10(-places - this.exponent), -places);
    return this;
  }

  /** The largest integer ≤ this, with exponent 0. */
  floor(): Decimal {
    if (this.exponent >= 0) return this;
    const d = pow10(-this.exponent);
    let q = this.value / d;
    if (this.value < 0n && q * d !== this.value) q -= 1n;
    return new Decimal(q, 0);
  }

  /** The integer part, truncated toward zero. */
  intPart(): bigint {
    if (this.exponent >= 0) return this.value * pow10(this.exponent);
    return this.value / pow10(-this.exponent);
  }

  /** -1, 0 or 1. */
  cmp(other: DecimalInput): -1 | 0 | 1 {
    const o = Decimal.from(other);
    const e = Math.min(this.exponent, o.exponent);
    const a = this.rescaled(e);
    const b = o.rescaled(e);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** `this < other`. */
  lt(other: DecimalInput): boolean {
    return this.cmp(other) < 0;
  }
  /** `this <= other`. */
  lte(other: DecimalInput): boolean {
    return this.cmp(other) <= 0;
  }
  /** `this > other`. */
  gt(other: DecimalInput): boolean {
    return this.cmp(other) > 0;
  }
  /** `this >= other`. */
  gte(other: DecimalInput): boolean {
    return this.cmp(other) >= 0;
  }
  /** Numerically equal (whatever the exponents). */
  eq(other: DecimalInput): boolean {
    return this.cmp(other) === 0;
  }
  /** `-1`, `0` or `1`. */
  sign(): -1 | 0 | 1 {
    return this.value < 0n ? -1 : this.value > 0n ? 1 : 0;
  }
  /** True when the value is zero. */
  isZero(): boolean {
    return this.value === 0n;
  }
  /** The smaller of this and `other` (this on ties). */
  min(other: DecimalInput): Decimal {
    const o = Decimal.from(other);
    return o.lt(this) ? o : this;
  }
  /** The larger of this and `other` (this on ties). */
  max(other: DecimalInput): Decimal {
    const o = Decimal.from(other);
    return o.gt(this) ? o : this;
  }

  /** Nearest float64 (parsed from the exact decimal string). */
  toNumber(): number {
    return Number(this.toString());
  }

  /** The pair the chain's `Decimal` message carries. */
  toJSON(): { value: string; exponent: number } {
    return { value: this.value.toString(), exponent: this.exponent };
  }

  /**
   * The form shopspring's `String()` prints: plain notation, no exponent, trailing zeros after
   * the point dropped (`{1, 2}` → `"100"`, `{940, -3}` → `"0.94"`, `{-54067221270, -12}` →
   * `"-0.05406722127"`).
   */
  toString(): string {
    if (this.exponent >= 0) return (this.value * pow10(this.exponent)).toString();
    const neg = this.value < 0n;
    let digits = abs(this.value).toString();
    const scale = -this.exponent;
    if (digits.length <= scale) digits = "0".repeat(scale - digits.length + 1) + digits;
    const intPart = digits.slice(0, digits.length - scale);
    const frac = digits.slice(digits.length - scale).replace(/0+$/, "");
    const body = frac === "" ? intPart : `${intPart}.${frac}`;
    return neg && body !== "0" ? `-${body}` : body;
  }
}
