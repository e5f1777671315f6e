/**
 * From last-position logits to a PoC distance: permute by the nonce's permutation, normalise,
 * and take the float64 L2 distance to the unit target vector.
 */

/**
 * `|| logits[perm] / ||logits[perm]|| - target ||` in float64. Lies in [0, 2].
 *
 * @example const d = pocDistance(logits, perm, target); const valid = d < rTarget;
 */
export function pocDistance(logits: ArrayLike<number>, perm: ArrayLike<number>, target: ArrayLike<number>): number {
  const n = target.length;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const v = logits[perm[i]];
    ss += v * v;
  }
  const inv = 1 / Math.sqrt(ss);
  let d = 0;
  for (let i = 0; i < n; i++) {
    const e = logits[perm[i]] * inv - target[i];
    d += e * e;
  }
  return Math.sqrt(d);
}
