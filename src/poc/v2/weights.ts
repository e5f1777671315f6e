/**
 * From committed counts to weight (spec §12.2): the per-MLNode split the host reports, the time
 * normalisation factor, the PoC weight `⌊count·f⌋`, and the per-model consensus contribution.
 */
import { InvalidArgumentError } from "../../errors.js";
import { requireBigInt, requireInt } from "./bytes.js";
import { WeightDistributionError } from "./errors.js";
import { divRoundHalfAwayScaled, LegacyDec } from "./legacy-dec.js";

/** One MLNode's share of a model's committed count (`MLNodeWeight{node_id, weight}`). */
export interface MlNodeWeight {
  nodeId: string;
  weight: number;
}

/**
 * The host's per-MLNode split of a committed count (`MsgMLNodeWeightDistribution` entries), sorted
 * by node id: the store's counts as they are when they already sum to `targetCount`; otherwise
 * each node scaled to `⌊count_n · targetCount / Σ⌋` (float64) and the shortfall handed out one by
 * one from the first node id, so the weights always sum to `targetCount`.
 *
 * @example
 * ```ts
 * weightDistribution({ nodeCounts: { "node-a": 10, "node-b": 20, "node-c": 5 }, targetCount: 30 });
 * // [{ nodeId: "node-a", weight: 9 }, { nodeId: "node-b", weight: 17 }, { nodeId: "node-c", weight: 4 }]
 * ```
 * @throws {WeightDistributionError} for no nodes ("empty distribution") or all zero ("distribution sum is 0").
 */
export function weightDistribution(args: { nodeCounts: Record<string, number>; targetCount: number }): MlNodeWeight[] {
  const { nodeCounts } = args;
  if (nodeCounts === null || typeof nodeCounts !== "object") throw new InvalidArgumentError("nodeCounts", "expected an object of node id → count");
  const targetCount = requireInt(args.targetCount, "targetCount", 0, 0xffffffff);
  const ids = Object.keys(nodeCounts).sort();
  if (ids.length === 0) throw new WeightDistributionError("empty distribution");
  let sum = 0;
  for (const id of ids) sum += requireInt(nodeCounts[id], `nodeCounts.${id}`, 0, 0xffffffff);
  if (sum === 0) throw new WeightDistributionError("distribution sum is 0");
  if (sum === targetCount) return ids.map((nodeId) => ({ nodeId, weight: nodeCounts[nodeId] }));
  const out = ids.map((nodeId) => ({ nodeId, weight: Math.floor((nodeCounts[nodeId] * targetCount) / sum) }));
  let short = targetCount - out.reduce((s, w) => s + w.weight, 0);
  for (let i = 0; short > 0; i = (i + 1) % out.length, short--) out[i].weight++;
  return out;
}

/** Arguments of {@link timeNormalizationFactor}. */
export interface TimeNormalizationArgs {
  /** `poc_stage_duration` in blocks (35 on mainnet). */
  pocStageDuration: number;
  /** `poc_exchange_duration` in blocks (0 on mainnet). */
  pocExchangeDuration: number;
  /** The snapshot's `generation_start_timestamp` (unix seconds). */
  generationStartTimestamp: number | bigint;
  /** The snapshot's `exchange_end_timestamp` (unix seconds). */
  exchangeEndTimestamp: number | bigint;
  /** The assumed block time in seconds, as a decimal string; default `"5.41"`. */
  blockTimeSeconds?: string;
}

/**
 * The time normalisation factor (`poc_normalization_enabled`, on since v0.2.10):
 * `f = (stage + exchange) · 5.41 / (exchangeEnd − generationStart)`, divided to 16 decimal places
 * (halves away from zero, shopspring's `Div`) then held as an 18-place `LegacyDec`; `f = 1` when a
 * timestamp is 0 or the elapsed time is ≤ 0.
 *
 * @example
 * ```ts
 * timeNormalizationFactor({ pocStageDuration: 35, pocExchangeDuration: 0, generationStartTimestamp: 1770000000, exchangeEndTimestamp: 1770000200 }).toString();
 * // "0.946750000000000000"
 * ```
 */
export function timeNormalizationFactor(args: TimeNormalizationArgs): LegacyDec {
  const stage = requireInt(args.pocStageDuration, "pocStageDuration", 0, 2 ** 31 - 1);
  const exchange = requireInt(args.pocExchangeDuration, "pocExchangeDuration", 0, 2 ** 31 - 1);
  const start = requireBigInt(args.generationStartTimestamp, "generationStartTimestamp", -(1n << 63n), (1n << 63n) - 1n);
  const end = requireBigInt(args.exchangeEndTimestamp, "exchangeEndTimestamp", -(1n << 63n), (1n << 63n) - 1n);
  const blockTime = LegacyDec.fromString(args.blockTimeSeconds ?? "5.41");
  const elapsed = end - start;
  if (start === 0n || end === 0n || elapsed <= 0n) return LegacyDec.fromInt(1);
  // (stage + exchange) · blockTime / elapsed, with blockTime = scaled / 10^18.
  const q16 = divRoundHalfAwayScaled(BigInt(stage + exchange) * blockTime.scaled, elapsed * 10n ** 18n, 16);
  return LegacyDec.fromScaled(q16 * 100n);
}

/** The PoC weight of an accepted (participant, model) or of one MLNode: `⌊count · factor⌋`. */
export function pocWeight(count: number | bigint, factor: LegacyDec): bigint {
  const c = requireBigInt(count, "count", 0n, (1n << 63n) - 1n);
  if (!(factor instanceof LegacyDec)) throw new InvalidArgumentError("factor", "expected a LegacyDec (see timeNormalizationFactor)");
  return factor.mulInt(c).truncateInt();
}

/** Per-MLNode PoC weights `⌊weight_n · factor⌋` (their sum can fall one or more below `⌊count · factor⌋`). */
export function nodePocWeights(nodeWeights: MlNodeWeight[], factor: LegacyDec): { nodeId: string; weight: bigint }[] {
  if (!Array.isArray(nodeWeights)) throw new InvalidArgumentError("nodeWeights", "expected an array of { nodeId, weight }");
  return nodeWeights.map((w) => ({ nodeId: w.nodeId, weight: pocWeight(w.weight, factor) }));
}

/**
 * A model group's consensus-weight contribution `⌊weightScaleFactor · Σ node PoC weights⌋`
 * (before the cap on non-initial groups, which depends on chain state not modelled here).
 *
 * @example
 * ```ts
 * consensusContribution({ weightScaleFactor: "0.78", sumNodeWeights: 116881n }); // 91167n
 * ```
 */
export function consensusContribution(args: { weightScaleFactor: LegacyDec | string; sumNodeWeights: number | bigint }): bigint {
  const f = typeof args.weightScaleFactor === "string" ? LegacyDec.fromString(args.weightScaleFactor) : args.weightScaleFactor;
  if (!(f instanceof LegacyDec)) throw new InvalidArgumentError("weightScaleFactor", "expected a LegacyDec or a decimal string");
  const s = requireBigInt(args.sumNodeWeights, "sumNodeWeights", 0n, (1n << 63n) - 1n);
  return f.mulInt(s).truncateInt();
}
