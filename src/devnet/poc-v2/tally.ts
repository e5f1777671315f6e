/**
 * The devnet chain's PoC v2 vote tally and weights (spec poc-v2.md §12, chain-upgrades.md §7):
 * per (participant, model) commit of a stage, the `MsgSubmitPocValidationsV2` votes of validators
 * holding voting power count; the pair is accepted when the accepting validators' power is above
 * ⌊2/3⌋ of the total power (`validation_slots = 0`, as mainnet), and an accepted pair's PoC weight
 * is its committed **count** (the devnet does not model time normalisation: f = 1). A vote is
 * "accept" when `validated_weight > 0`, else (−1) "fraud".
 *
 * Devnet choice: a pair nobody with power voted on keeps its count (a devnet with a single
 * validator could otherwise never weigh anyone); mainnet rejects it (no majority).
 * @module
 */
import type { ChainState } from "../chain/index.js";

/** The outcome of one (participant, model) commit of a stage. */
export interface DevnetPocV2Tally {
  participantAddress: string;
  modelId: string;
  /** The committed count. */
  count: number;
  /** Every vote on the pair (also from validators without power, which do not count). */
  votes: { validator: string; validatedWeight: bigint; power: bigint }[];
  /** Power of the validators that accepted / rejected (−1). */
  acceptingPower: bigint;
  rejectingPower: bigint;
  /** Σ voting power (the 2/3 basis). */
  totalPower: bigint;
  /** `"no-votes"`: no validator with power voted (the devnet keeps the count). */
  outcome: "accepted" | "rejected" | "no-votes";
  /** The pair's PoC weight: `count` when accepted (or unvoted), else 0. */
  weight: bigint;
}

/**
 * Tallies every commit of `stage` on the devnet chain.
 *
 * @example
 * ```ts
 * for (const t of tallyPocV2Stage(devnet.chainState!, stage)) console.log(t.participantAddress, t.modelId, t.outcome, t.weight);
 * ```
 */
export function tallyPocV2Stage(chain: ChainState, stage: bigint): DevnetPocV2Tally[] {
  const totalPower = [...chain.power.values()].reduce((n, p) => n + p, 0n);
  const out: DevnetPocV2Tally[] = [];
  for (const c of chain.pocV2Commits.values()) {
    if (c.pocStageStartBlockHeight !== stage) continue;
    const votes = [...chain.pocV2Validations.values()]
      .filter((v) => v.pocStageStartBlockHeight === stage && v.participantAddress === c.participantAddress && v.modelId === c.modelId)
      .map((v) => ({ validator: v.validatorParticipantAddress, validatedWeight: v.validatedWeight, power: chain.power.get(v.validatorParticipantAddress) ?? 0n }));
    const counted = votes.filter((v) => v.power > 0n);
    const acceptingPower = counted.filter((v) => v.validatedWeight > 0n).reduce((n, v) => n + v.power, 0n);
    const rejectingPower = counted.filter((v) => v.validatedWeight <= 0n).reduce((n, v) => n + v.power, 0n);
    const outcome = counted.length === 0 ? "no-votes" : acceptingPower * 3n > totalPower * 2n ? "accepted" : "rejected";
    out.push({
      participantAddress: c.participantAddress, modelId: c.modelId, count: c.count, votes, acceptingPower, rejectingPower, totalPower, outcome,
      weight: outcome === "rejected" ? 0n : BigInt(c.count),
    });
  }
  return out;
}

/** A participant's weight for the stage: the sum of its pairs' weights over the models. */
export function pocV2ParticipantWeights(tally: readonly DevnetPocV2Tally[]): Map<string, bigint> {
  const weights = new Map<string, bigint>();
  for (const t of tally) weights.set(t.participantAddress, (weights.get(t.participantAddress) ?? 0n) + t.weight);
  return weights;
}
