/**
 * The validator's score: how close its own top-k logprobs, re-run with the executor's tokens
 * enforced, are to the executor's (inference-flow.md §7, the network's `CompareLogits`).
 *
 * Float64 operations run in the network's order, so results match it to the last bit:
 * per term `|v − o| / (1e-6 + |v| + |o|) / 2`, summed per position in the validator's top-k
 * order, positions summed in order, then divided once by `max(100, n) · k`.
 */
import { LogprobLengthMismatchError } from "./errors.js";
import { checkLogprobPositions, type LogprobPosition } from "./logprobs.js";

/** Outcome kinds of the comparison, in the network's words. */
export type ComparisonResult = "similarity" | "different_length" | "different_tokens";

/** What {@link validationSimilarity} returns. */
export interface ValidationComparison {
  /** `"different_length"` (validator has fewer positions), `"different_tokens"`, or `"similarity"`. */
  result: ComparisonResult;
  /** The value a validator sends: the similarity in [0, 1] (0 for the other result kinds). */
  similarity: number;
  /** The raw distance (only for `"similarity"`; `Infinity` when a position had no top logprobs). */
  distance?: number;
  /** `"empty logprobs provided"` when a position had no top logprobs on either side (similarity 0). */
  error?: string;
}

/** What {@link logprobDistance} returns. */
export interface LogprobDistance {
  /** `Σ d_i / (max(100, n) · k)`; `Infinity` on error. */
  distance: number;
  /** `1 − distance`, or 0 when that is negative, NaN or infinite. */
  similarity: number;
  /** `"empty logprobs provided"` when a position has no top logprobs (then similarity is 0). */
  error?: string;
}

/** The error text the network reports when a position has no top logprobs. */
export const EMPTY_LOGPROBS_ERROR = "empty logprobs provided";

/** Similarity from a distance: `1 − distance`, 0 when that is NaN, infinite or negative. */
function similarityOf(distance: number): number {
  if (!Number.isFinite(distance)) return 0;
  const s = 1 - distance;
  return s < 0 ? 0 : s;
}

/**
 * The network's logprob distance between the executor's (`original`) and the validator's
 * (`validation`) positions. For each position i < n = original.length:
 * `O` = original top logprobs as token → logprob (later duplicates win); `s1 ≤ s2` its two
 * smallest values (`s2 = s1 − 100` when there is one); a validator token missing from `O` is
 * compared with `est = s1 − (s2 − s1)`. `k` = number of top logprobs of original[0] (1 if 0).
 * Throws {@link LogprobLengthMismatchError} when `validation` is shorter than `original`.
 *
 * @example
 * ```ts
 * logprobDistance(executorPositions, validatorPositions).similarity; // 0.9997480234216375
 * ```
 */
export function logprobDistance(original: readonly LogprobPosition[], validation: readonly LogprobPosition[]): LogprobDistance {
  checkLogprobPositions(original, "original");
  checkLogprobPositions(validation, "validation");
  const n = original.length;
  if (validation.length < n) throw new LogprobLengthMismatchError(n, validation.length);
  if (n === 0) return { distance: 0, similarity: 1 };
  let total = 0;
  for (let i = 0; i < n; i++) {
    const top = original[i]!.top_logprobs ?? [];
    const vtop = validation[i]!.top_logprobs ?? [];
    const O = new Map<string, number>();
    for (const t of top) O.set(t.token, t.logprob);
    if (O.size === 0 || vtop.length === 0) return { distance: Infinity, similarity: 0, error: EMPTY_LOGPROBS_ERROR };
    let s1 = Infinity;
    let s2 = Infinity;
    for (const v of O.values()) {
      if (v < s1) {
        s2 = s1;
        s1 = v;
      } else if (v < s2) s2 = v;
    }
    if (O.size === 1) s2 = s1 - 100;
    const est = s1 - (s2 - s1);
    let d = 0;
    for (const t of vtop) {
      const v = t.logprob;
      const o = O.has(t.token) ? O.get(t.token)! : est;
      const den = 1e-6 + Math.abs(v) + Math.abs(o);
      if (Number.isNaN(den) || den === 0) continue;
      const term = Math.abs(v - o) / den / 2;
      if (Number.isNaN(term)) continue;
      d += term;
    }
    total += d;
  }
  const k = (original[0]!.top_logprobs ?? []).length || 1;
  const distance = total / (Math.max(100, n) * k);
  return { distance, similarity: similarityOf(distance) };
}

/**
 * Scores a validator's positions against the executor's, as the network does before it encodes
 * `value_decimal`:
 * 1. fewer validator positions → `"different_length"`, 0;
 * 2. a chosen token differs at some position → `"different_tokens"`, 0;
 * 3. else `"similarity"` with `1 − logprobDistance` (extra validator positions are ignored).
 * Both arrays are positions of all choices (or stream chunks) joined in order; see
 * `logprobsFromResponse`, `logprobsFromChunks`, `logprobsFromPayload`.
 *
 * @example
 * ```ts
 * const { result, similarity } = validationSimilarity(
 *   logprobsFromPayload(executorPayload), logprobsFromResponse(validatorBody));
 * ```
 */
export function validationSimilarity(
  executorLogprobs: readonly LogprobPosition[],
  validatorLogprobs: readonly LogprobPosition[],
): ValidationComparison {
  checkLogprobPositions(executorLogprobs, "executor");
  checkLogprobPositions(validatorLogprobs, "validator");
  if (validatorLogprobs.length < executorLogprobs.length) return { result: "different_length", similarity: 0 };
  for (let i = 0; i < executorLogprobs.length; i++) {
    if (executorLogprobs[i]!.token !== validatorLogprobs[i]!.token) return { result: "different_tokens", similarity: 0 };
  }
  const d = logprobDistance(executorLogprobs, validatorLogprobs);
  return {
    result: "similarity",
    similarity: d.similarity,
    distance: d.distance,
    ...(d.error !== undefined ? { error: d.error } : {}),
  };
}
