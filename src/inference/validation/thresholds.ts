/**
 * Per-model validation thresholds (each model's `validation_threshold` in the epoch's model
 * snapshot) as genesis and the upgrade handlers set them (inference-flow.md §7), and the chain's
 * pass/fail rule: `passed ⇔ value_decimal > threshold` (strict, exact decimal comparison).
 *
 * Governance can change thresholds; read the epoch's models from the chain when you can, and use
 * this table for known releases.
 */
import { InvalidArgumentError } from "../../errors.js";
import { Decimal, type DecimalInput } from "./decimal.js";

/** One threshold as set by genesis or an upgrade. */
export interface ModelValidationThreshold {
  /** Model id(s) as served on the network. */
  models: readonly string[];
  /** First release that has this value (`"genesis"` for the genesis value). */
  since: string;
  /** First release that no longer has it (undefined: still current as of v0.2.13). */
  until?: string;
  /** The threshold. */
  threshold: Decimal;
  /** Where the value comes from. */
  source: string;
}

const QWEN_235B = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
const KIMI = "moonshotai/Kimi-K2.6";

/** The thresholds genesis and upgrades v0.2.10, v0.2.12 and v0.2.13 set, oldest first per model. */
export const MODEL_VALIDATION_THRESHOLDS: readonly ModelValidationThreshold[] = Object.freeze([
  { models: ["Qwen/QwQ-32B", "Qwen/Qwen2.5-7B-Instruct"], since: "genesis", threshold: new Decimal(98n, -2), source: "genesis/genesis.json" },
  { models: [QWEN_235B], since: "genesis", until: "v0.2.10", threshold: new Decimal(970917n, -6), source: "value named in the v0.2.10 upgrade handler" },
  { models: [QWEN_235B], since: "v0.2.10", until: "v0.2.13", threshold: new Decimal(958n, -3), source: "app/upgrades/v0_2_10" },
  { models: [QWEN_235B], since: "v0.2.13", threshold: new Decimal(940n, -3), source: "app/upgrades/v0_2_13" },
  { models: ["MiniMaxAI/MiniMax-M2.7"], since: "v0.2.13", threshold: new Decimal(922n, -3), source: "app/upgrades/v0_2_13" },
  { models: [KIMI], since: "v0.2.12", until: "v0.2.13", threshold: new Decimal(920n, -3), source: "app/upgrades/v0_2_12" },
  { models: [KIMI], since: "v0.2.13", threshold: new Decimal(900n, -3), source: "app/upgrades/v0_2_13" },
]);

function releaseKey(release: string): number[] {
  if (release === "genesis") return [0, 0, 0];
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(release);
  if (!m) throw new InvalidArgumentError("release", `"${release}" is not a release like "v0.2.13"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function cmpRelease(a: string, b: string): number {
  const x = releaseKey(a);
  const y = releaseKey(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/**
 * The threshold a model had at a release (default `"v0.2.13"`), or undefined when the table does
 * not know the model.
 *
 * @example
 * ```ts
 * validationThresholdFor("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8")?.toString(); // "0.94"
 * validationThresholdFor("moonshotai/Kimi-K2.6", "v0.2.12")?.toString();          // "0.92"
 * ```
 */
export function validationThresholdFor(model: string, release = "v0.2.13"): Decimal | undefined {
  const row = MODEL_VALIDATION_THRESHOLDS.find(
    (r) =>
      r.models.includes(model) &&
      cmpRelease(r.since, release) <= 0 &&
      (r.until === undefined || cmpRelease(release, r.until) < 0),
  );
  return row?.threshold;
}

/**
 * The chain's decision for a validation: passed ⇔ `valueDecimal > threshold` (strict).
 *
 * @example
 * ```ts
 * passesValidationThreshold({ value: 9715994133252794n, exponent: -16 }, "0.98"); // false
 * ```
 */
export function passesValidationThreshold(valueDecimal: DecimalInput, threshold: DecimalInput): boolean {
  return Decimal.from(valueDecimal).gt(Decimal.from(threshold));
}
