/**
 * Natural logarithm of an exact decimal, rounded half away from zero to a number of digits after
 * the point (what the chain's SPRT uses, at 12 digits, for `ln(p1/p0)`).
 *
 * Computed with bigint fixed-point arithmetic 30 digits past the requested precision
 * (`ln x = k·ln 2 + 2·atanh((y−1)/(y+1))` with `y = x/2^k` near 1), then rounded once.
 */
import { InvalidArgumentError } from "../../errors.js";
import { Decimal } from "./decimal.js";

const GUARD_DIGITS = 30;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** 2·atanh(num/den) scaled by `scale` (|num/den| ≤ 1/3 for fast convergence). */
function twoAtanh(num: bigint, den: bigint, scale: bigint): bigint {
  const z = (num * scale) / den;
  const z2 = (z * z) / scale;
  let power = z;
  let sum = 0n;
  for (let n = 1n; power !== 0n; n += 2n) {
    sum += power / n;
    power = (power * z2) / scale;
  }
  return 2n * sum;
}

/**
 * `ln(x)` rounded to `precision` digits after the point; the result has exponent `-precision`.
 * Throws {@link InvalidArgumentError} for x ≤ 0 (the logarithm is undefined there).
 *
 * @example
 * ```ts
 * lnDecimal(Decimal.from(2), 12).toString(); // "0.69314718056"
 * ```
 */
export function lnDecimal(x: Decimal, precision: number): Decimal {
  if (x.value <= 0n) throw new InvalidArgumentError("x", "the natural logarithm needs a positive value");
  if (!Number.isInteger(precision) || precision < 0) throw new InvalidArgumentError("precision", "must be a non-negative integer");
  let num = x.exponent >= 0 ? x.value * 10n ** BigInt(x.exponent) : x.value;
  let den = x.exponent >= 0 ? 1n : 10n ** BigInt(-x.exponent);
  const k = bitLength(num) - bitLength(den);
  if (k > 0) den <<= BigInt(k);
  else if (k < 0) num <<= BigInt(-k);
  // now num/den is in (1/2, 2)
  const digits = precision + GUARD_DIGITS;
  const scale = 10n ** BigInt(digits);
  const lnY = twoAtanh(num - den, num + den, scale);
  const ln2 = twoAtanh(1n, 3n, scale);
  const fixed = BigInt(k) * ln2 + lnY;
  return new Decimal(fixed, -digits).round(precision);
}
