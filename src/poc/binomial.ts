/**
 * The exact binomial upper tail `P(X >= k)` for `X ~ Binomial(n, p)` — the p-value of scipy's
 * `binomtest(k, n, p, alternative="greater")` that the network uses to call a batch fraudulent.
 */
import { InvalidArgumentError } from "../errors.js";

/** The mismatch probability the network tolerates per nonce (`5e-4`). */
export const POC_MISMATCH_PROBABILITY = 5e-4;

/** log C(n, k) as a sum of logs (accurate to ~1e-13 relative for n up to 1e7). */
function logChoose(n: number, k: number): number {
  const m = Math.min(k, n - k);
  let s = 0;
  for (let j = 1; j <= m; j++) s += Math.log((n - m + j) / j);
  return s;
}

function logPmf(n: number, k: number, p: number): number {
  const logP = k === 0 ? 0 : k * Math.log(p);
  const logQ = n - k === 0 ? 0 : (n - k) * Math.log1p(-p);
  return logChoose(n, k) + logP + logQ;
}

/** Sum of pmf(i) for i = from, from±1, … (direction `dir`), relative to pmf(from). */
function relativeSum(n: number, from: number, p: number, dir: 1 | -1): number {
  const odds = p / (1 - p);
  let term = 1;
  let sum = 1;
  for (let i = from; ; ) {
    if (dir === 1) {
      if (i >= n) break;
      term *= ((n - i) / (i + 1)) * odds;
      i++;
    } else {
      if (i <= 0) break;
      term *= (i / (n - i + 1)) / odds;
      i--;
    }
    sum += term;
    if (term < sum * 1e-18) break;
  }
  return sum;
}

/**
 * `P(X >= k)` for `X ~ Binomial(n, p)`, accurate to ~1e-12 relative for n up to 10^6 (and
 * beyond), without overflow or underflow in intermediate steps.
 *
 * @example binomialUpperTail(10, 1, 5e-4) // 0.004988764986882871
 */
export function binomialUpperTail(k: number, n: number, p: number = POC_MISMATCH_PROBABILITY): number {
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("n", `must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) throw new InvalidArgumentError("k", `must be an integer in 0..${n}, got ${k}`);
  if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError("p", `must be in [0, 1], got ${p}`);
  if (k === 0) return 1;
  if (p === 0) return 0;
  if (p === 1) return 1;
  const mean = n * p;
  if (k - 1 >= mean) {
    // Upper tail: terms fall from k on.
    return Math.min(1, Math.exp(logPmf(n, k, p) + Math.log(relativeSum(n, k, p, 1))));
  }
  // 1 - P(X <= k-1); the lower tail is at most ~0.6 here, so no cancellation to speak of.
  const lower = Math.exp(logPmf(n, k - 1, p) + Math.log(relativeSum(n, k - 1, p, -1)));
  return Math.max(0, 1 - lower);
}
