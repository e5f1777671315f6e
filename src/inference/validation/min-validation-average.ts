/**
 * The minimum validation average for a traffic basis (inference-flow.md §5.3): how much
 * validation mass an executor at full reputation still gets, falling from `MaxAvg` at low
 * traffic to `MinAvg` at `FullCutoff` requests.
 */
import { InvalidArgumentError } from "../../errors.js";
import { Decimal } from "./decimal.js";
import { MAINNET_VALIDATION_PARAMS, type ValidationParams } from "./params.js";

/** The parameters {@link minValidationAverage} reads. */
export type MinValidationAverageParams = Pick<
  ValidationParams,
  "minValidationAverage" | "maxValidationAverage" | "minValidationHalfway" | "fullValidationTrafficCutoff" | "minValidationTrafficCutoff"
>;

/**
 * `minAvg(t)`:
 * - `MinAvg` when t ≥ FullCutoff;
 * - `MinAvg + (Halfway − MinAvg) · ((FullCutoff − t) / (FullCutoff/2))` when FullCutoff/2 ≤ t;
 * - `Halfway + (MaxAvg − Halfway) · ((FullCutoff/2 − t) / (FullCutoff/2 − MinCutoff))` when MinCutoff < t;
 * - `MaxAvg` when t ≤ MinCutoff.
 * Decimal arithmetic; each quotient is rounded to 16 digits before it is multiplied.
 * Defaults to mainnet's parameters.
 *
 * @example
 * ```ts
 * minValidationAverage(2500).toString(); // "0.534693877551020445"
 * ```
 */
export function minValidationAverage(
  trafficBasis: bigint | number,
  params: MinValidationAverageParams = MAINNET_VALIDATION_PARAMS,
): Decimal {
  if (typeof trafficBasis === "number" && !Number.isSafeInteger(trafficBasis)) {
    throw new InvalidArgumentError("trafficBasis", "expected an integer");
  }
  const t = Decimal.from(BigInt(trafficBasis));
  const full = Decimal.from(params.fullValidationTrafficCutoff);
  const minCutoff = Decimal.from(params.minValidationTrafficCutoff);
  const half = full.div(2);
  const { minValidationAverage: minAvg, maxValidationAverage: maxAvg, minValidationHalfway: halfway } = params;
  if (t.gte(full)) return minAvg;
  if (t.gte(half)) return minAvg.add(halfway.sub(minAvg).mul(full.sub(t).div(half)));
  if (t.gt(minCutoff)) return halfway.add(maxAvg.sub(halfway).mul(half.sub(t).div(half.sub(minCutoff))));
  return maxAvg;
}
