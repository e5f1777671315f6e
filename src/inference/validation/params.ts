/**
 * The chain's `validation_params` (and the bandwidth limits) that inference validation uses, with
 * mainnet's values and the chain's defaults (inference-flow.md §5, §9). Governance can change
 * them: read `GET /chain-api/productscience/inference/inference/params` for the live values.
 */
import { Decimal } from "./decimal.js";

/** The validation parameters sampling, reputation, SPRT and the missed-validation test use. */
export interface ValidationParams {
  /** `false_positive_rate` (p0 of the invalidation SPRT; base of the quick-failure test). */
  falsePositiveRate: Decimal;
  /** `min_validation_average`. */
  minValidationAverage: Decimal;
  /** `max_validation_average`. */
  maxValidationAverage: Decimal;
  /** `epochs_to_max` (reputation). */
  epochsToMax: number;
  /** `full_validation_traffic_cutoff`. */
  fullValidationTrafficCutoff: number;
  /** `min_validation_halfway`. */
  minValidationHalfway: Decimal;
  /** `min_validation_traffic_cutoff`. */
  minValidationTrafficCutoff: number;
  /** `miss_percentage_cutoff` (reputation). */
  missPercentageCutoff: Decimal;
  /** `miss_requests_penalty` (reputation). */
  missRequestsPenalty: Decimal;
  /** `timestamp_expiration` in seconds (0 means 10). */
  timestampExpiration: number;
  /** `timestamp_advance` in seconds (0 means 10). */
  timestampAdvance: number;
  /** `bad_participant_invalidation_rate` (p1 of the invalidation SPRT). */
  badParticipantInvalidationRate: Decimal;
  /** `invalidation_h_threshold`. */
  invalidationHThreshold: Decimal;
  /** `downtime_good_percentage` (p0 of the downtime SPRT). */
  downtimeGoodPercentage: Decimal;
  /** `downtime_bad_percentage` (p1 of the downtime SPRT). */
  downtimeBadPercentage: Decimal;
  /** `downtime_h_threshold`. */
  downtimeHThreshold: Decimal;
  /** `quick_failure_threshold`. */
  quickFailureThreshold: Decimal;
  /** `binom_test_p0`. */
  binomTestP0: Decimal;
  /** `logprobs_mode`. */
  logprobsMode: string;
}

const d = (value: bigint, exponent: number) => new Decimal(value, exponent);

/** Mainnet's validation parameters (genesis and upgrades through v0.2.13). */
export const MAINNET_VALIDATION_PARAMS: Readonly<ValidationParams> = Object.freeze({
  falsePositiveRate: d(5n, -2),
  minValidationAverage: d(1n, -2),
  maxValidationAverage: d(1n, 0),
  epochsToMax: 30,
  fullValidationTrafficCutoff: 10000,
  minValidationHalfway: d(5n, -2),
  minValidationTrafficCutoff: 100,
  missPercentageCutoff: d(1n, -2),
  missRequestsPenalty: d(1n, 0),
  timestampExpiration: 60,
  timestampAdvance: 30,
  badParticipantInvalidationRate: d(1n, -1),
  invalidationHThreshold: d(4n, 0),
  downtimeGoodPercentage: d(98n, -2),
  downtimeBadPercentage: d(99n, -2),
  downtimeHThreshold: d(1n, 2),
  quickFailureThreshold: d(1n, -6),
  binomTestP0: d(4n, -1),
  logprobsMode: "processed_logprobs",
});

/** The chain's default validation parameters (a fresh chain without mainnet's upgrades). */
export const CHAIN_DEFAULT_VALIDATION_PARAMS: Readonly<ValidationParams> = Object.freeze({
  ...MAINNET_VALIDATION_PARAMS,
  badParticipantInvalidationRate: d(2n, -1),
  downtimeGoodPercentage: d(1n, -1),
  downtimeBadPercentage: d(2n, -1),
  downtimeHThreshold: d(4n, 0),
  binomTestP0: d(1n, -1),
});

/** The bandwidth limits that cap open invalidations per validator (§9.4). */
export interface InvalidationLimits {
  /** `invalidations_limit`. */
  invalidationsLimit: number;
  /** `invalidations_limit_curve`. */
  invalidationsLimitCurve: number;
  /** `minimum_concurrent_invalidations`. */
  minimumConcurrentInvalidations: number;
  /** `invalidations_sample_period` in seconds. */
  invalidationsSamplePeriodS: number;
}

/** Mainnet's invalidation limits. */
export const MAINNET_INVALIDATION_LIMITS: Readonly<InvalidationLimits> = Object.freeze({
  invalidationsLimit: 500,
  invalidationsLimitCurve: 250,
  minimumConcurrentInvalidations: 1,
  invalidationsSamplePeriodS: 120,
});

/** Mainnet's `confirmation_poc_params.alpha_threshold` (0 disables the check). */
export const MAINNET_CONFIRMATION_POC_ALPHA = d(5n, -1);
