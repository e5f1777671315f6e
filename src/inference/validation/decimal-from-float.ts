/**
 * `MsgValidation.value_decimal`: a float64 written as the chain's `Decimal {value, exponent}`.
 */
import { InvalidArgumentError } from "../../errors.js";
import { Decimal } from "./decimal.js";

/** The chain's `Decimal` message: `value × 10^exponent` (`value` is an int64). */
export interface DecimalValue {
  /** The coefficient (int64; may exceed 2^53, hence bigint). */
  value: bigint;
  /** The base-10 exponent (int32). */
  exponent: number;
}

/**
 * Encodes a float64 the way a validator fills `MsgValidation.value_decimal`: the shortest
 * decimal string that reads back as the same double, its digits as the coefficient and its
 * scale as the exponent, trailing zeros dropped (`100` → `{ value: 1n, exponent: 2 }`,
 * `0.99` → `{ 99n, -2 }`, `0` → `{ 0n, 0 }`, `0.30000000000000004` → `{ 30000000000000004n, -17 }`).
 * Throws for NaN and ±Infinity (the chain has no encoding for them).
 *
 * @example
 * ```ts
 * decimalFromFloat(0.999057070427818); // { value: 999057070427818n, exponent: -15 }
 * ```
 */
export function decimalFromFloat(x: number): DecimalValue {
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new InvalidArgumentError("x", "expected a finite number (NaN and ±Infinity have no value_decimal)");
  }
  if (x === 0) return { value: 0n, exponent: 0 };
  // ECMAScript's Number#toString gives the shortest round-trip digits, like Go's 'g' with precision -1.
  const text = String(x);
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:e([+-][0-9]+))?$/.exec(text);
  if (!m) throw new InvalidArgumentError("x", "could not format the number");
  const frac = m[3] ?? "";
  let digits = (m[2] ?? "") + frac;
  let exponent = (m[4] !== undefined ? Number.parseInt(m[4], 10) : 0) - frac.length;
  digits = digits.replace(/^0+(?=[0-9])/, "");
  const trimmed = digits.replace(/0+$/, "");
  exponent += digits.length - trimmed.length;
  const value = BigInt(m[1] === "-" ? `-${trimmed}` : trimmed);
  return { value, exponent };
}

/** The same encoding as an exact {@link Decimal}. */
export function decimalFromFloatExact(x: number): Decimal {
  const d = decimalFromFloat(x);
  return new Decimal(d.value, d.exponent);
}
