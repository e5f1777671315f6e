/**
 * The chain's `MissedStatTest(missed, total, p0)` (inference-flow.md §9.3): is a miss count
 * consistent with a miss rate of at most p0? Used for executors' missed requests at settlement
 * (p0 = `binom_test_p0`, 0.40 on mainnet) and, when `claim_validation_enabled`, for validators'
 * missed validations at claim time.
 *
 * For p0 ∈ {0.05, 0.10, 0.20, 0.30, 0.40, 0.50} (p0 · 1000 truncated to an integer) the chain
 * looks up a precomputed critical value (one-sided normal approximation at α = 0.05 for
 * totals 2–10 and 20–990 in steps of 10, the largest listed total ≤ n applies; at least 4 from
 * n = 5 on, and no penalty below 5); above 990 it requires `missed/total ≤ p0`. Other p0 values
 * use an exact one-sided binomial p-value `P(X ≥ missed)` computed in decimal at 16 digits,
 * passing when ≥ 0.05.
 */
import { InvalidArgumentError } from "../../errors.js";
import { Decimal, type DecimalInput } from "./decimal.js";

/** Totals of the critical-value tables: 2…10, then 20…990 by 10. */
const TABLE_TOTALS: readonly number[] = Object.freeze([
  ...Array.from({ length: 9 }, (_, i) => i + 2),
  ...Array.from({ length: 98 }, (_, i) => (i + 2) * 10),
]);

/** Critical miss counts per p0 in permille, aligned with {@link TABLE_TOTALS}. */
const CRITICAL_MISSES: Readonly<Record<number, readonly number[]>> = Object.freeze({
  50: [2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 6, 7, 7, 8, 9, 9, 10, 11, 11, 12, 13, 13, 14, 15, 15, 16, 16, 17, 18, 18, 19, 19, 20, 21, 21, 22, 23, 23, 24, 24, 25, 25, 26, 27, 27, 28, 28, 29, 30, 30, 31, 31, 32, 33, 33, 34, 34, 35, 35, 36, 37, 37, 38, 38, 39, 39, 40, 41, 41, 42, 42, 43, 43, 44, 45, 45, 46, 46, 47, 47, 48, 49, 49, 50, 50, 51, 51, 52, 52, 53, 54, 54, 55, 55, 56, 56, 57, 57, 58, 59, 59, 60, 60],
  100: [2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 7, 8, 9, 11, 12, 13, 14, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 32, 33, 35, 36, 37, 38, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 50, 52, 53, 54, 55, 56, 57, 58, 59, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 108, 109, 110, 111, 112, 113, 114],
  200: [2, 3, 4, 4, 4, 4, 4, 4, 4, 6, 9, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 44, 47, 49, 51, 53, 55, 58, 60, 62, 64, 67, 69, 71, 73, 75, 77, 80, 82, 84, 86, 88, 90, 93, 95, 97, 99, 101, 103, 106, 108, 110, 112, 114, 116, 119, 121, 123, 125, 127, 129, 131, 133, 136, 138, 140, 142, 144, 146, 148, 151, 153, 155, 157, 159, 161, 163, 165, 168, 170, 172, 174, 176, 178, 180, 182, 184, 187, 189, 191, 193, 195, 197, 199, 201, 203, 206, 208, 210, 212, 214, 216, 218],
  300: [2, 3, 4, 4, 4, 4, 4, 4, 5, 9, 13, 16, 20, 23, 27, 30, 34, 37, 40, 44, 47, 50, 54, 57, 60, 64, 67, 70, 73, 77, 80, 83, 86, 90, 93, 96, 99, 103, 106, 109, 112, 115, 119, 122, 125, 128, 131, 135, 138, 141, 144, 147, 150, 154, 157, 160, 163, 166, 170, 173, 176, 179, 182, 185, 188, 192, 195, 198, 201, 204, 207, 211, 214, 217, 220, 223, 226, 229, 233, 236, 239, 242, 245, 248, 251, 255, 258, 261, 264, 267, 270, 273, 276, 280, 283, 286, 289, 292, 295, 298, 301, 305, 308, 311, 314, 317, 320],
  400: [2, 3, 4, 4, 4, 4, 5, 6, 6, 11, 16, 21, 25, 30, 34, 39, 43, 48, 52, 56, 61, 65, 69, 74, 78, 82, 87, 91, 95, 99, 104, 108, 112, 116, 121, 125, 129, 133, 138, 142, 146, 150, 155, 159, 163, 167, 171, 176, 180, 184, 188, 192, 197, 201, 205, 209, 213, 218, 222, 226, 230, 234, 238, 243, 247, 251, 255, 259, 263, 268, 272, 276, 280, 284, 288, 293, 297, 301, 305, 309, 313, 317, 322, 326, 330, 334, 338, 342, 346, 351, 355, 359, 363, 367, 371, 375, 380, 384, 388, 392, 396, 400, 404, 408, 413, 417, 421],
  500: [2, 3, 4, 4, 5, 5, 6, 6, 7, 13, 19, 25, 30, 36, 41, 47, 52, 58, 63, 69, 74, 79, 85, 90, 95, 101, 106, 111, 116, 122, 127, 132, 138, 143, 148, 153, 159, 164, 169, 174, 179, 185, 190, 195, 200, 206, 211, 216, 221, 226, 232, 237, 242, 247, 252, 258, 263, 268, 273, 278, 283, 289, 294, 299, 304, 309, 314, 320, 325, 330, 335, 340, 345, 351, 356, 361, 366, 371, 376, 382, 387, 392, 397, 402, 407, 412, 418, 423, 428, 433, 438, 443, 448, 454, 459, 464, 469, 474, 479, 484, 490, 495, 500, 505, 510, 515, 520],
});

/** Fallback for totals above the tables: missed · den ≤ total · num (i.e. missed/total ≤ p0). */
const LARGE_N_RATIO: Readonly<Record<number, readonly [bigint, bigint]>> = Object.freeze({
  50: [1n, 20n],
  100: [1n, 10n],
  200: [1n, 5n],
  300: [3n, 10n],
  400: [2n, 5n],
  500: [1n, 2n],
});

const MAX_TABLE_TOTAL = 990;
const ALPHA = new Decimal(5n, -2);
const P_VALUE_PRECISION = 16;

/** Which way {@link missedStatTest} decided. */
export type MissedStatTestPath = "table" | "binomial";

/** What {@link missedStatTest} returns. */
export interface MissedStatTestResult {
  /** True when the miss count is acceptable (the claim or reward is not refused). */
  passed: boolean;
  /** `"table"` for the six tabulated p0 values, else `"binomial"`. */
  path: MissedStatTestPath;
  /** The binomial p-value (only on the binomial path). */
  pValue?: Decimal;
}

function int(v: bigint | number, what: string): bigint {
  if (typeof v === "bigint") return v;
  if (Number.isSafeInteger(v)) return BigInt(v);
  throw new InvalidArgumentError(what, "expected an integer");
}

/** `base^exp` exactly, then rounded to `precision` digits (exp ≥ 2), as the chain's helper does. */
function powRounded(base: Decimal, exp: number, precision: number): Decimal {
  if (exp === 0) return Decimal.ONE;
  if (exp === 1) return base;
  let result = Decimal.ONE;
  let b = base;
  let e = exp;
  while (e > 0) {
    if (e & 1) result = result.mul(b);
    b = b.mul(b);
    e >>= 1;
  }
  return result.round(precision);
}

/**
 * One-sided binomial p-value `P(X ≥ k)` for X ~ Binomial(n, p0), computed as the chain does:
 * `P(X = k) = C(n,k) · round16(p0^k) · round16(q^(n−k))`, then each further term
 * `P(X = i+1) = P(X = i) · ((n−i)/(i+1)) · (p0/q)` (quotients at 16 digits), the sum rounded to
 * 16 digits. k = 0 gives 1.
 *
 * @example
 * ```ts
 * binomialPValue(7, 20, "0.25").toString(); // "0.214218052398792"
 * ```
 */
export function binomialPValue(k: bigint | number, n: bigint | number, p0: DecimalInput): Decimal {
  const K = int(k, "k");
  const N = int(n, "n");
  const p = Decimal.from(p0);
  if (K < 0n || N < 0n || K > N) throw new InvalidArgumentError("k", "requires 0 <= k <= n");
  if (p.lte(0) || p.gte(1)) throw new InvalidArgumentError("p0", "must be in (0, 1)");
  if (N > 1_000_000n) throw new InvalidArgumentError("n", "is too large for the exact binomial sum (at most 1 000 000)");
  if (K === 0n) return Decimal.ONE;
  const q = Decimal.ONE.sub(p);
  const kn = Number(K);
  const nn = Number(N);
  let prob: Decimal;
  if (kn === nn) prob = powRounded(p, nn, P_VALUE_PRECISION);
  else {
    let coeff = Decimal.ONE;
    for (let i = 0; i < kn; i++) coeff = coeff.mul(nn - i).div(i + 1);
    prob = coeff.mul(powRounded(p, kn, P_VALUE_PRECISION)).mul(powRounded(q, nn - kn, P_VALUE_PRECISION));
  }
  let sum = prob;
  const ratio = p.div(q);
  for (let i = kn; i < nn; i++) {
    prob = prob.mul(Decimal.from(nn - i).div(i + 1)).mul(ratio);
    sum = sum.add(prob);
  }
  return sum.round(P_VALUE_PRECISION);
}

/**
 * The chain's missed-request / missed-validation test. `total = 0` always passes; otherwise
 * requires `0 ≤ missed ≤ total`.
 *
 * @example
 * ```ts
 * missedStatTest(7, 10, "0.4");   // { passed: false, path: "table" }
 * missedStatTest(7, 20, "0.25");  // { passed: true, path: "binomial", pValue: 0.214218052398792 }
 * ```
 */
export function missedStatTest(missed: bigint | number, total: bigint | number, p0: DecimalInput): MissedStatTestResult {
  const m = int(missed, "missed");
  const t = int(total, "total");
  const p = Decimal.from(p0);
  const permille = Number(p.mul(1000).intPart());
  const tabulated = Object.prototype.hasOwnProperty.call(CRITICAL_MISSES, permille);
  const path: MissedStatTestPath = tabulated ? "table" : "binomial";
  if (t === 0n) return { passed: true, path };
  if (m < 0n || t < 0n || m > t) throw new InvalidArgumentError("missed", "requires 0 <= missed <= total and total > 0");
  if (tabulated) {
    if (t > BigInt(MAX_TABLE_TOTAL)) {
      const [num, den] = LARGE_N_RATIO[permille]!;
      return { passed: m * den <= t * num, path };
    }
    const n = Number(t);
    let idx = -1;
    for (let i = 0; i < TABLE_TOTALS.length && TABLE_TOTALS[i]! <= n; i++) idx = i;
    if (idx < 0) return { passed: true, path };
    return { passed: Number(m) <= CRITICAL_MISSES[permille]![idx]!, path };
  }
  const pValue = binomialPValue(m, t, p);
  return { passed: pValue.gte(ALPHA), path, pValue };
}
