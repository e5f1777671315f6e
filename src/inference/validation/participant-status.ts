/**
 * The chain's participant status update (`ComputeStatus`, inference-flow.md §9.1), run whenever a
 * participant's epoch stats change: quick failure, the invalidation SPRT, the downtime SPRT and
 * the confirmation-PoC ratio, in that order.
 */
import { InvalidArgumentError } from "../../errors.js";
import { Decimal, type DecimalInput } from "./decimal.js";
import { MAINNET_CONFIRMATION_POC_ALPHA, MAINNET_VALIDATION_PARAMS, type ValidationParams } from "./params.js";
import { sprtPrecompute, sprtUpdate, type SprtPrecomputed } from "./sprt.js";

/** Participant statuses, in the chain's words. */
export type ParticipantStatus = "ACTIVE" | "INVALID" | "INACTIVE";

/** Why a status was set. */
export type ParticipantStatusReason =
  | ""
  | "already_set"
  | "consecutive_failures"
  | "statistical_invalidations"
  | "downtime"
  | "failed_confirmation_poc";

/** A participant's current-epoch stats (the fields the status update reads and writes). */
export interface ParticipantEpochStats {
  inferenceCount?: bigint | number;
  missedRequests?: bigint | number;
  validatedInferences?: bigint | number;
  invalidatedInferences?: bigint | number;
  /** `current_epoch_stats.invalidLLR` (default 0). */
  invalidLLR?: DecimalInput;
  /** `current_epoch_stats.inactiveLLR` (default 0). */
  inactiveLLR?: DecimalInput;
  /** The participant's confirmation-PoC ratio, when known. */
  confirmationPocRatio?: DecimalInput | null;
}

/** The stats after the update, with the LLRs as the chain stores them. */
export interface UpdatedParticipantStats {
  inferenceCount: bigint;
  missedRequests: bigint;
  validatedInferences: bigint;
  invalidatedInferences: bigint;
  invalidLLR: Decimal;
  inactiveLLR: Decimal;
  confirmationPocRatio: Decimal | null;
}

/** Arguments of {@link computeParticipantStatus}. */
export interface ComputeParticipantStatusArgs {
  /** The status before the update. */
  status: ParticipantStatus;
  /** `consecutive_invalid_inferences`. */
  consecutiveInvalidInferences: bigint | number;
  /** The stats now. */
  stats: ParticipantEpochStats;
  /** The stats at the previous update (their differences drive the SPRTs); default all zero. */
  oldStats?: ParticipantEpochStats;
  /** Default mainnet's. */
  params?: Pick<
    ValidationParams,
    | "falsePositiveRate"
    | "quickFailureThreshold"
    | "invalidationHThreshold"
    | "downtimeHThreshold"
    | "badParticipantInvalidationRate"
    | "downtimeBadPercentage"
    | "downtimeGoodPercentage"
  >;
  /** Precomputed log-likelihoods; default computed from `params`. */
  precomputed?: SprtPrecomputed;
  /** `confirmation_poc_params.alpha_threshold` (0 disables the check); default mainnet's 0.5. */
  confirmationPocAlpha?: DecimalInput;
}

/** What {@link computeParticipantStatus} returns. */
export interface ParticipantStatusUpdate {
  status: ParticipantStatus;
  reason: ParticipantStatusReason;
  stats: UpdatedParticipantStats;
}

function big(v: bigint | number | undefined, what: string): bigint {
  if (v === undefined) return 0n;
  if (typeof v === "bigint") return v;
  if (Number.isSafeInteger(v)) return BigInt(v);
  throw new InvalidArgumentError(what, "expected an integer");
}

/**
 * Updates a participant's status from its epoch stats:
 * 1. INVALID/INACTIVE stay (`"already_set"`);
 * 2. `false_positive_rate^consecutive_invalid_inferences < quick_failure_threshold` → INVALID (`"consecutive_failures"`);
 * 3. invalidation SPRT: `invalidLLR += Δinvalidated·logFail + Δvalidated·logPass`, INVALID when ≥ H (`"statistical_invalidations"`);
 * 4. downtime SPRT: `inactiveLLR += Δmissed·logFail + Δinference_count·logPass`, INACTIVE when ≥ H (`"downtime"`);
 * 5. confirmation-PoC ratio below alpha → INACTIVE (`"failed_confirmation_poc"`).
 * Each step returns at once when it changes the status (later LLRs are then not updated).
 * (Slashing, exclusion and reputation resets that follow a transition are the chain's.)
 */
export function computeParticipantStatus(args: ComputeParticipantStatusArgs): ParticipantStatusUpdate {
  const params = args.params ?? MAINNET_VALIDATION_PARAMS;
  const s = args.stats;
  const o = args.oldStats ?? {};
  const stats: UpdatedParticipantStats = {
    inferenceCount: big(s.inferenceCount, "stats.inferenceCount"),
    missedRequests: big(s.missedRequests, "stats.missedRequests"),
    validatedInferences: big(s.validatedInferences, "stats.validatedInferences"),
    invalidatedInferences: big(s.invalidatedInferences, "stats.invalidatedInferences"),
    invalidLLR: s.invalidLLR !== undefined ? Decimal.from(s.invalidLLR) : Decimal.ZERO,
    inactiveLLR: s.inactiveLLR !== undefined ? Decimal.from(s.inactiveLLR) : Decimal.ZERO,
    confirmationPocRatio: s.confirmationPocRatio === undefined || s.confirmationPocRatio === null ? null : Decimal.from(s.confirmationPocRatio),
  };
  if (args.status !== "ACTIVE") return { status: args.status, reason: "already_set", stats };

  const consecutive = big(args.consecutiveInvalidInferences, "consecutiveInvalidInferences");
  if (consecutive < 0n) throw new InvalidArgumentError("consecutiveInvalidInferences", "must be non-negative");
  let power = Decimal.ONE;
  for (let i = 0n; i < consecutive && !power.lt(params.quickFailureThreshold); i++) power = power.mul(params.falsePositiveRate);
  if (power.lt(params.quickFailureThreshold)) return { status: "INVALID", reason: "consecutive_failures", stats };

  const pre = args.precomputed ?? sprtPrecompute(params);
  const inv = sprtUpdate({
    llr: stats.invalidLLR,
    logFail: pre.invalidationLogFail,
    logPass: pre.invalidationLogPass,
    failures: stats.invalidatedInferences - big(o.invalidatedInferences, "oldStats.invalidatedInferences"),
    passes: stats.validatedInferences - big(o.validatedInferences, "oldStats.validatedInferences"),
    h: params.invalidationHThreshold,
  });
  stats.invalidLLR = inv.llr;
  if (inv.decision === "fail") return { status: "INVALID", reason: "statistical_invalidations", stats };

  const down = sprtUpdate({
    llr: stats.inactiveLLR,
    logFail: pre.inactiveLogFail,
    logPass: pre.inactiveLogPass,
    failures: stats.missedRequests - big(o.missedRequests, "oldStats.missedRequests"),
    passes: stats.inferenceCount - big(o.inferenceCount, "oldStats.inferenceCount"),
    h: params.downtimeHThreshold,
  });
  stats.inactiveLLR = down.llr;
  if (down.decision === "fail") return { status: "INACTIVE", reason: "downtime", stats };

  const alpha = Decimal.from(args.confirmationPocAlpha ?? MAINNET_CONFIRMATION_POC_ALPHA);
  if (alpha.sign() > 0 && stats.confirmationPocRatio !== null && stats.confirmationPocRatio.lt(alpha)) {
    return { status: "INACTIVE", reason: "failed_confirmation_poc", stats };
  }
  return { status: "ACTIVE", reason: "", stats };
}
