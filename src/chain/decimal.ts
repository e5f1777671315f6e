import { InvalidArgumentError } from "../errors.js";

/** A chain `Decimal` (`inference.inference.Decimal`): `value × 10^exponent`. */
export interface DecimalParts {
  /** The digits, as an int64. */
  value: bigint;
  /** The power of ten. */
  exponent: number;
}

const INT64_MAX = (1n << 63n) - 1n;

/**
 * A number or decimal string as a chain `Decimal` with the fewest digits: a number is taken by its
 * shortest round-trip decimal (`String(x)`, what the API node sends: 0.9873 → `{9873, -4}`), a
 * string as written (`"0.950"` → `{95, -2}`); zero is `{0, 0}`.
 *
 * (A local conversion for `MsgValidation.value_decimal`; `gonka-sdk/inference` has the validation
 * module's own.)
 *
 * @example
 * ```ts
 * toChainDecimal("value", 0.9873); // { value: 9873n, exponent: -4 }
 * toChainDecimal("value", "1");    // { value: 1n, exponent: 0 }
 * ```
 * @throws {InvalidArgumentError} for NaN, ±Infinity, or text that is not a decimal.
 */
export function toChainDecimal(argument: string, x: number | string): DecimalParts {
  let text: string;
  if (typeof x === "number") {
    if (!Number.isFinite(x)) throw new InvalidArgumentError(argument, "must be a finite number");
    text = String(x);
  } else if (typeof x === "string") text = x.trim();
  else throw new InvalidArgumentError(argument, "expected a number or a decimal string");
  const m = /^(-?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === "" && !m[3])) throw new InvalidArgumentError(argument, `"${text}" is not a decimal number`);
  const frac = m[3] ?? "";
  let digits = (m[2]! + frac).replace(/^0+(?=\d)/, "");
  let exponent = -frac.length + Number(m[4] ?? 0);
  if (/^0+$/.test(digits)) return { value: 0n, exponent: 0 };
  while (digits.endsWith("0")) {
    digits = digits.slice(0, -1);
    exponent++;
  }
  const value = BigInt(digits) * (m[1] === "-" ? -1n : 1n);
  if (value > INT64_MAX || value < -INT64_MAX - 1n) throw new InvalidArgumentError(argument, `"${text}" has more digits than an int64 holds`);
  return { value, exponent };
}

/** Compares a chain decimal with an integer: negative, 0 or positive. */
export function compareDecimal(d: DecimalParts, n: bigint): number {
  if (d.exponent >= 0) {
    const v = d.value * 10n ** BigInt(d.exponent);
    return v < n ? -1 : v > n ? 1 : 0;
  }
  const scaled = n * 10n ** BigInt(-d.exponent);
  return d.value < scaled ? -1 : d.value > scaled ? 1 : 0;
}
