/**
 * How many invalidation votes a validator may have open at once (inference-flow.md §9.4). A
 * failed validation starts a vote only while the validator's open invalidations are below this.
 */
import { InvalidArgumentError } from "../../errors.js";
import { Decimal, type DecimalInput } from "./decimal.js";
import { MAINNET_INVALIDATION_LIMITS, type InvalidationLimits } from "./params.js";

const TAYLOR_TERMS = 20;
const TANH_CLAMP = new Decimal(10n, 0);

/** `e^x` by the first 21 terms of its Taylor series (`term_i = term_{i−1} · x / i`, i = 1…20), in decimal. */
function expTaylor(x: Decimal): Decimal {
  let result = Decimal.ONE;
  let term = Decimal.ONE;
  for (let i = 1; i <= TAYLOR_TERMS; i++) {
    term = term.mul(x).div(i);
    result = result.add(term);
  }
  return result;
}

/**
 * The chain's decimal `tanh`: x clamped to ±10, then `(e^{2x} − 1) / (e^{2x} + 1)` with `e^{2x}`
 * from a 20-term Taylor series (so `tanh(10)` is slightly below 1).
 */
export function tanhApprox(x: DecimalInput): Decimal {
  let v = Decimal.from(x);
  if (v.gt(TANH_CLAMP)) v = TANH_CLAMP;
  else if (v.lt(TANH_CLAMP.neg())) v = TANH_CLAMP.neg();
  const e2x = expTaylor(v.mul(2));
  return e2x.sub(1).div(e2x.add(1));
}

/** Arguments of {@link maxActiveInvalidations}. */
export interface MaxActiveInvalidationsArgs {
  /** Inferences of the model in the last `invalidations_sample_period`. */
  inferencesInWindow: bigint | number;
  /** The validator's weight / the model group's total weight, in [0, 1]. */
  weightFraction: DecimalInput;
  /** The validator's reputation, 0–100. */
  reputation: number;
  /** Default mainnet's (limit 500, curve 250, minimum 1). */
  limits?: Pick<InvalidationLimits, "invalidationsLimit" | "invalidationsLimitCurve" | "minimumConcurrentInvalidations">;
}

/**
 * `max(minimum, floor(tanh(I / curve) · (W · (R / 100)) · limit))`, in decimal as the chain does.
 *
 * @example
 * ```ts
 * maxActiveInvalidations({ inferencesInWindow: 250, weightFraction: "0.1", reputation: 100 }); // 38
 * ```
 */
export function maxActiveInvalidations(args: MaxActiveInvalidationsArgs): number {
  const limits = args.limits ?? MAINNET_INVALIDATION_LIMITS;
  const minimum = limits.minimumConcurrentInvalidations;
  if (!Number.isInteger(args.reputation)) throw new InvalidArgumentError("reputation", "expected an integer (0-100)");
  if (limits.invalidationsLimitCurve <= 0 || limits.invalidationsLimit <= 0) return minimum;
  const n = args.inferencesInWindow;
  if (typeof n === "number" && !Number.isSafeInteger(n)) throw new InvalidArgumentError("inferencesInWindow", "expected an integer");
  const inferences = BigInt(n);
  const x = new Decimal(inferences, 0).div(limits.invalidationsLimitCurve);
  const scaling = Decimal.from(args.weightFraction).mul(Decimal.from(args.reputation).div(100));
  const inv = Number(tanhApprox(x).mul(scaling).mul(limits.invalidationsLimit).floor().intPart());
  return Math.max(minimum, inv);
}
