/**
 * The sequential probability ratio tests the chain runs on each participant (inference-flow.md
 * §9.1): one on invalidations (does this executor cheat?) and one on missed requests (is it down?).
 * Log-likelihoods are decimals rounded to 12 digits, stored as the chain's `Decimal`.
 */
import { InvalidArgumentError } from "../../errors.js";
import { Decimal, type DecimalInput } from "./decimal.js";
import { lnDecimal } from "./decimal-ln.js";
import { MAINNET_VALIDATION_PARAMS, type ValidationParams } from "./params.js";

/** Digits after the point of the precomputed log-likelihoods. */
export const SPRT_LN_PRECISION = 12;

/** shopspring's `decimal.Zero` (coefficient 0, exponent 1), what the chain stores for an undefined log. */
const SHOPSPRING_ZERO = new Decimal(0n, 1);

/**
 * One step's log-likelihood ratio: `ln(p1/p0)` for a failure (`isFail`), `ln((1−p1)/(1−p0))`
 * for a pass, rounded to 12 digits. A ratio ≤ 0 (p1 = 0 for a failure, p1 = 1 for a pass) gives
 * 0 (stored as `{ value: 0, exponent: 1 }`), as on the chain.
 *
 * @example
 * ```ts
 * sprtLogLikelihood({ p1: "0.1", p0: "0.05", isFail: true }).toString(); // "0.69314718056"
 * ```
 */
export function sprtLogLikelihood(args: { p1: DecimalInput; p0: DecimalInput; isFail: boolean }): Decimal {
  const p1 = Decimal.from(args.p1);
  const p0 = Decimal.from(args.p0);
  const num = args.isFail ? p1 : Decimal.ONE.sub(p1);
  const den = args.isFail ? p0 : Decimal.ONE.sub(p0);
  if (den.isZero()) throw new InvalidArgumentError("p0", args.isFail ? "must not be 0" : "must not be 1");
  const ratio = num.div(den);
  if (ratio.sign() <= 0) return SHOPSPRING_ZERO;
  return lnDecimal(ratio, SPRT_LN_PRECISION);
}

/** The four per-step log-likelihoods the chain precomputes from the validation parameters. */
export interface SprtPrecomputed {
  /** `ln(p1/p0)` of the invalidation test. */
  invalidationLogFail: Decimal;
  /** `ln((1−p1)/(1−p0))` of the invalidation test. */
  invalidationLogPass: Decimal;
  /** `ln(p1/p0)` of the downtime test. */
  inactiveLogFail: Decimal;
  /** `ln((1−p1)/(1−p0))` of the downtime test. */
  inactiveLogPass: Decimal;
}

/**
 * Precomputes the SPRT steps: invalidations use p1 = `bad_participant_invalidation_rate`,
 * p0 = `false_positive_rate`; downtime uses p1 = `downtime_bad_percentage`,
 * p0 = `downtime_good_percentage`. Default mainnet's parameters.
 */
export function sprtPrecompute(
  params: Pick<ValidationParams, "badParticipantInvalidationRate" | "falsePositiveRate" | "downtimeBadPercentage" | "downtimeGoodPercentage"> = MAINNET_VALIDATION_PARAMS,
): SprtPrecomputed {
  const inv = { p1: params.badParticipantInvalidationRate, p0: params.falsePositiveRate };
  const down = { p1: params.downtimeBadPercentage, p0: params.downtimeGoodPercentage };
  return {
    invalidationLogFail: sprtLogLikelihood({ ...inv, isFail: true }),
    invalidationLogPass: sprtLogLikelihood({ ...inv, isFail: false }),
    inactiveLogFail: sprtLogLikelihood({ ...down, isFail: true }),
    inactiveLogPass: sprtLogLikelihood({ ...down, isFail: false }),
  };
}

/** The state of a test: `"fail"` (LLR ≥ H), `"pass"` (LLR ≤ −H) or `"undetermined"`. */
export type SprtDecision = "fail" | "pass" | "undetermined";

/** `"fail"` when `llr ≥ h`, `"pass"` when `llr ≤ −h`, else `"undetermined"`. */
export function sprtDecision(llr: DecimalInput, h: DecimalInput): SprtDecision {
  const l = Decimal.from(llr);
  const H = Decimal.from(h);
  if (l.gte(H)) return "fail";
  if (l.lte(H.neg())) return "pass";
  return "undetermined";
}

function count(v: bigint | number, what: string): bigint {
  if (typeof v === "bigint") return v;
  if (Number.isSafeInteger(v)) return BigInt(v);
  throw new InvalidArgumentError(what, "expected an integer");
}

/**
 * Adds observations to a log-likelihood ratio: `llr + failures · logFail + passes · logPass`
 * (terms with a zero count are not added, so the stored exponent is unchanged), and says where
 * the test stands against `h`.
 *
 * @example
 * ```ts
 * sprtUpdate({ llr: "3.4", logFail, logPass, failures: 1, passes: 0, h: 4 });
 * // { llr: 4.09314718056, decision: "fail" }
 * ```
 */
export function sprtUpdate(args: {
  llr: DecimalInput;
  logFail: DecimalInput;
  logPass: DecimalInput;
  failures: bigint | number;
  passes: bigint | number;
  h: DecimalInput;
}): { llr: Decimal; decision: SprtDecision } {
  let llr = Decimal.from(args.llr);
  const failures = count(args.failures, "failures");
  const passes = count(args.passes, "passes");
  if (failures !== 0n) llr = llr.add(Decimal.from(args.logFail).mul(failures));
  if (passes !== 0n) llr = llr.add(Decimal.from(args.logPass).mul(passes));
  return { llr, decision: sprtDecision(llr, args.h) };
}
