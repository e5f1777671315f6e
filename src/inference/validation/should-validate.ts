/**
 * Reputation-based sampling: whether a validator re-checks a finished inference
 * (inference-flow.md §5.3, the chain's `ShouldValidate`).
 */
import { InvalidArgumentError } from "../../errors.js";
import { Decimal } from "./decimal.js";
import { deterministicFloat } from "./deterministic-float.js";
import { minValidationAverage } from "./min-validation-average.js";
import { MAINNET_VALIDATION_PARAMS, type ValidationParams } from "./params.js";

/** Arguments of {@link shouldValidate}. */
export interface ShouldValidateArgs {
  /** The validator's epoch seed (see `validatorSeed`). */
  seed: bigint;
  /** The inference id (the developer's signature string). */
  inferenceId: string;
  /** The executor's reputation, 0–100 (`InferenceValidationDetails.executor_reputation`). */
  executorReputation: number;
  /** `InferenceValidationDetails.traffic_basis`. */
  trafficBasis: bigint | number;
  /** The executor's weight (`executor_power`). */
  executorPower: bigint | number;
  /** The validator's weight. */
  validatorPower: bigint | number;
  /** The model sub-group's total weight (`total_power`). */
  totalPower: bigint | number;
  /** Validation parameters; default mainnet's. */
  params?: Pick<
    ValidationParams,
    "minValidationAverage" | "maxValidationAverage" | "minValidationHalfway" | "fullValidationTrafficCutoff" | "minValidationTrafficCutoff"
  >;
}

/** What {@link shouldValidate} decides. */
export interface ShouldValidateResult {
  /** Whether to validate: `randomValue < probability`. */
  shouldValidate: boolean;
  /** `p = min(1, target · V / (T − X))` (absent when T ≤ X). */
  probability?: Decimal;
  /** `u = DeterministicFloat(seed, inferenceId)` (absent when T ≤ X). */
  randomValue?: Decimal;
  /** `target = MaxAvg − (MaxAvg − minAvg) · r/100`. */
  targetValidations?: Decimal;
  /** `minAvg(trafficBasis)`. */
  minValidationAverage?: Decimal;
  /** `MaxAvg − minAvg`. */
  rangeSize?: Decimal;
  /** The node's log line, e.g. `"ShouldValidate:true"` or `"ShouldValidate:false totalPower <= executorPower"`. */
  message: string;
}

function uint32(v: bigint | number, what: string): bigint {
  let b: bigint;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
  else throw new InvalidArgumentError(what, "expected an integer");
  return BigInt.asUintN(32, b); // the chain converts weights with uint32(…)
}

/**
 * Decides whether a validator checks an inference. With V, X, T the validator, executor and total
 * weights (each converted to uint32 as the chain does) and r the executor's reputation:
 * `target = MaxAvg − (MaxAvg − minAvg(trafficBasis)) · (r/100)`,
 * `p = min(1, target · V / (T − X))`, `u = DeterministicFloat(seed, inferenceId)`,
 * validate ⇔ `u < p`; never when `T ≤ X`. Decimal arithmetic, divisions at 16 digits.
 * Defaults to mainnet's parameters.
 *
 * (The API node also skips inferences it executed itself and models it does not serve; those
 * checks are the caller's.)
 *
 * @example
 * ```ts
 * const r = shouldValidate({ seed, inferenceId, executorReputation: 0, trafficBasis: 150,
 *   executorPower: 90000, validatorPower: 150000, totalPower: 1000000 });
 * r.shouldValidate; r.probability?.toString(); // true, "0.1648351648351648"
 * ```
 */
export function shouldValidate(args: ShouldValidateArgs): ShouldValidateResult {
  if (typeof args.seed !== "bigint") throw new InvalidArgumentError("seed", "expected a bigint (seeds exceed 2^53)");
  if (typeof args.inferenceId !== "string") throw new InvalidArgumentError("inferenceId", "expected a string");
  const r = args.executorReputation;
  if (!Number.isInteger(r)) throw new InvalidArgumentError("executorReputation", "expected an integer percentage (0-100)");
  const V = uint32(args.validatorPower, "validatorPower");
  const X = uint32(args.executorPower, "executorPower");
  const T = uint32(args.totalPower, "totalPower");
  if (T <= X) return { shouldValidate: false, message: "ShouldValidate:false totalPower <= executorPower" };
  const params = args.params ?? MAINNET_VALIDATION_PARAMS;
  const minAvg = minValidationAverage(args.trafficBasis, params);
  const maxAvg = params.maxValidationAverage;
  const rangeSize = maxAvg.sub(minAvg);
  const target = maxAvg.sub(rangeSize.mul(Decimal.from(r).div(100)));
  const probability = target.mul(new Decimal(V, 0)).div(new Decimal(T - X, 0)).min(Decimal.ONE);
  const randomValue = deterministicFloat(args.seed, args.inferenceId);
  const decision = randomValue.lt(probability);
  return {
    shouldValidate: decision,
    probability,
    randomValue,
    targetValidations: target,
    minValidationAverage: minAvg,
    rangeSize,
    message: `ShouldValidate:${decision}`,
  };
}
