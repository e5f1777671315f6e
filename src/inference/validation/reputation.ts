/**
 * A participant's reputation, 0–100, computed when the epoch group is formed
 * (inference-flow.md §9.2). It sets how often validators re-check the participant's inferences.
 */
import { InvalidArgumentError } from "../../errors.js";
import { Decimal, type DecimalInput } from "./decimal.js";
import { MAINNET_VALIDATION_PARAMS, type ValidationParams } from "./params.js";

/** One past epoch of the participant (an `EpochPerformanceSummary`), or just its miss ratio. */
export type EpochPerformance =
  | { missedRequests: bigint | number; inferenceCount: bigint | number }
  | { missPercentage: DecimalInput };

/** The parameters {@link reputation} reads. */
export type ReputationParams = Pick<ValidationParams, "epochsToMax" | "missPercentageCutoff" | "missRequestsPenalty">;

function missRatio(e: EpochPerformance, i: number): Decimal {
  if ("missPercentage" in e) return Decimal.from(e.missPercentage);
  const count = Decimal.from(BigInt(e.inferenceCount));
  if (count.sign() < 0 || Decimal.from(BigInt(e.missedRequests)).sign() < 0) {
    throw new InvalidArgumentError(`epochs[${i}]`, "counts must be non-negative");
  }
  return count.isZero() ? Decimal.ZERO : Decimal.from(BigInt(e.missedRequests)).div(count);
}

/**
 * Reputation from the participant's past epochs:
 * `missCost = (Σ over epochs with miss > MissPercentageCutoff of miss · (1/EpochsToMax) · MissRequestsPenalty) · EpochsToMax`,
 * `effective = epochs − missCost`; 100 when `effective > EpochsToMax`, 0 when `effective ≤ 0`,
 * else the integer part of `truncate(effective / EpochsToMax, 2) · 100`. Epochs given beyond the
 * array count as epochs without misses (`epochCount` ≥ `epochs.length`). Default: mainnet.
 *
 * @example
 * ```ts
 * reputation({ epochCount: 15 }); // 50
 * reputation({ epochCount: 20, epochs: [{ missPercentage: "0.5" }] }); // 65 (one epoch with half its requests missed)
 * ```
 */
export function reputation(args: {
  /** Number of past epochs (`EpochPerformanceSummaries`); default `epochs.length`. */
  epochCount?: number;
  /** Per-epoch performance (miss ratios or counts). */
  epochs?: readonly EpochPerformance[];
  /** Default mainnet's. */
  params?: ReputationParams;
}): number {
  const epochs = args.epochs ?? [];
  const count = args.epochCount ?? epochs.length;
  if (!Number.isSafeInteger(count) || count < epochs.length) {
    throw new InvalidArgumentError("epochCount", "must be an integer no smaller than epochs.length");
  }
  const params = args.params ?? MAINNET_VALIDATION_PARAMS;
  if (!Number.isSafeInteger(params.epochsToMax) || params.epochsToMax <= 0) {
    throw new InvalidArgumentError("params.epochsToMax", "must be a positive integer");
  }
  const epochsToMax = Decimal.from(params.epochsToMax);
  const perEpoch = Decimal.ONE.div(epochsToMax);
  let missCost = Decimal.ZERO;
  epochs.forEach((e, i) => {
    const miss = missRatio(e, i);
    if (miss.gt(params.missPercentageCutoff)) missCost = missCost.add(miss.mul(perEpoch).mul(params.missRequestsPenalty));
  });
  missCost = missCost.mul(epochsToMax);
  const effective = Decimal.from(count).sub(missCost);
  if (effective.gt(epochsToMax)) return 100;
  if (effective.lte(0)) return 0;
  return Number(effective.div(epochsToMax).truncate(2).mul(100).intPart());
}
