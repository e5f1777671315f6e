/**
 * Validation slots (go.slots), the per-MLNode split (go.weight_distribution), time normalisation
 * and weight arithmetic (go.weights) — all exact, as the chain and the network node compute them.
 */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors.js";
import {
  assignSlots, consensusContribution, LegacyDec, nodePocWeights, POC_V2_MAINNET_MODELS, pocWeight, sampledSlotCount, slotRandomValue,
  sortedSlotEntries, timeNormalizationFactor, weightDistribution, WeightDistributionError,
} from "../../../src/poc/v2/index.js";
import { V } from "./fixtures.js";

const S = V.go.slots;

describe("validation slots", () => {
  for (const c of S.sampled_slot_count) {
    it(`model power ${c.model_voting_power} of ${c.total_network_weight}, ${c.n_slots} slots → ${c.sampled}`, () => {
      expect(sampledSlotCount({ modelVotingPower: c.model_voting_power, totalNetworkWeight: c.total_network_weight, nSlots: c.n_slots })).toBe(c.sampled);
    });
  }
  it("sorts voters by address and drops those without positive weight", () => {
    expect(sortedSlotEntries(S.weights)).toEqual(S.sorted_entries.map((e: { Address: string; Weight: number }) => ({ address: e.Address, weight: BigInt(e.Weight) })));
    expect(S.total_weight).toBe(1000);
  });
  for (const c of S.slots) {
    it(`${c.n_slots} slots: random values and holders`, () => {
      c.slot_random_values_first8.forEach((v: number, i: number) =>
        expect(slotRandomValue({ appHash: S.app_hash, participant: S.participant, modelId: S.model_id, slot: i, totalWeight: S.total_weight })).toBe(BigInt(v)));
      expect(assignSlots({ appHash: S.app_hash, participant: S.participant, modelId: S.model_id, nSlots: c.n_slots, weights: S.weights })).toEqual(c.assigned);
    });
  }
  it("rejects bad weights", () => {
    expect(() => sortedSlotEntries({ a: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => slotRandomValue({ appHash: "a", participant: "p", modelId: "m", slot: 0, totalWeight: 0 })).toThrow(InvalidArgumentError);
  });
});

describe("weightDistribution: the host's per-MLNode split", () => {
  for (const c of V.go.weight_distribution) {
    it(`${JSON.stringify(c.distribution)} → ${c.target_count}${c.error ? ` fails: ${c.error}` : ""}`, () => {
      const run = (): unknown => weightDistribution({ nodeCounts: c.distribution, targetCount: c.target_count });
      if (c.error) {
        expect(run).toThrow(WeightDistributionError);
        expect(run).toThrow(c.error);
      } else {
        const got = run() as { nodeId: string; weight: number }[];
        expect(got).toEqual(c.weights.map((w: { NodeId: string; Weight: number }) => ({ nodeId: w.NodeId, weight: w.Weight })));
        expect(got.reduce((s, w) => s + w.weight, 0)).toBe(c.target_count);
      }
    });
  }
});

describe("time normalisation and weight", () => {
  for (const c of V.go.weights.time_normalization) {
    it(`stage ${c.poc_stage_duration}+${c.poc_exchange_duration} over ${c.exchange_end_timestamp}−${c.generation_start_timestamp} s → ${c.factor}`, () => {
      const f = timeNormalizationFactor({
        pocStageDuration: c.poc_stage_duration, pocExchangeDuration: c.poc_exchange_duration,
        generationStartTimestamp: c.generation_start_timestamp, exchangeEndTimestamp: c.exchange_end_timestamp,
      });
      expect(f.toString()).toBe(c.factor);
    });
  }
  const ex = V.go.weights.example;
  it("the worked example: ⌊count·f⌋, per-node ⌊weight·f⌋, and the three models' consensus contributions", () => {
    const f = LegacyDec.fromString(ex.factor);
    expect(f.toString()).toBe(ex.factor);
    expect(pocWeight(ex.count, f)).toBe(BigInt(ex.weight));
    const dist = weightDistribution({ nodeCounts: ex.node_counts, targetCount: ex.count });
    const nodes = nodePocWeights(dist, f);
    expect(Object.fromEntries(nodes.map((n) => [n.nodeId, Number(n.weight)]))).toEqual(ex.node_weights);
    const sum = nodes.reduce((s, n) => s + n.weight, 0n);
    expect(sum).toBe(BigInt(ex.sum_node_weights));
    for (const [model, coef] of Object.entries(ex.coefficients)) {
      expect(consensusContribution({ weightScaleFactor: coef as string, sumNodeWeights: sum })).toBe(BigInt(ex.consensus_contribution_by_coefficient[model]));
    }
  });
  it("the mainnet model data carries the same weight_scale_factor values", () => {
    expect(Object.fromEntries(POC_V2_MAINNET_MODELS.map((m) => [m.modelId, m.weightScaleFactor]))).toEqual(ex.coefficients);
  });
  it("rejects negative durations and a factor that is not a LegacyDec", () => {
    expect(() => timeNormalizationFactor({ pocStageDuration: -1, pocExchangeDuration: 0, generationStartTimestamp: 1, exchangeEndTimestamp: 2 })).toThrow(InvalidArgumentError);
    expect(() => pocWeight(10, 0.5 as unknown as LegacyDec)).toThrow(InvalidArgumentError);
  });
});

describe("LegacyDec", () => {
  it("parses decimal strings and Decimal{value, exponent}", () => {
    expect(LegacyDec.fromValueExponent(3593, -4).toString()).toBe("0.359300000000000000");
    expect(LegacyDec.fromValueExponent(78, -2).toString()).toBe(LegacyDec.fromString("0.78").toString());
    expect(LegacyDec.fromString("-1.5").toString()).toBe("-1.500000000000000000");
    expect(() => LegacyDec.fromString("1e-3")).toThrow(InvalidArgumentError);
    expect(() => LegacyDec.fromString("0.1234567890123456789")).toThrow(/at most 18/);
    expect(() => LegacyDec.fromValueExponent(1, -19)).toThrow(InvalidArgumentError);
  });
  it("multiplies with banker's rounding at 18 places and truncates toward zero", () => {
    const tiny = LegacyDec.fromScaled(1n); // 1e-18
    expect(tiny.mul(LegacyDec.fromString("0.5")).scaled).toBe(0n); // 0.5e-18 → 0 (even)
    expect(LegacyDec.fromScaled(3n).mul(LegacyDec.fromString("0.5")).scaled).toBe(2n); // 1.5e-18 → 2
    expect(LegacyDec.fromString("-2.7").truncateInt()).toBe(-2n);
  });
});
