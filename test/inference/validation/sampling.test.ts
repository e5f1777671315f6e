import { describe, expect, it } from "vitest";
import {
  CHAIN_DEFAULT_VALIDATION_PARAMS,
  Decimal,
  deterministicFloat,
  MAINNET_VALIDATION_PARAMS,
  minValidationAverage,
  seedFromSignature,
  shouldValidate,
  validatorSeed,
  type ValidationParams,
} from "../../../src/inference/index.js";
import { InvalidArgumentError } from "../../../src/errors.js";
import { big, vectors } from "./vectors.js";

describe("chain parameters", () => {
  const toParams = (p: Record<string, unknown>): Record<string, string | number> => {
    const out: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(p)) {
      const camel = k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
      out[camel] = v !== null && typeof v === "object" ? Decimal.from(v as { value: number; exponent: number }).toString() : (v as string | number);
    }
    return out;
  };
  const ours = (p: Readonly<ValidationParams>): Record<string, string | number> =>
    Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v instanceof Decimal ? v.toString() : (v as string | number)]));

  it("mainnet and chain-default validation params match the vectors' chain_params_used", () => {
    expect(ours(MAINNET_VALIDATION_PARAMS)).toEqual(toParams(vectors.chain_params_used.mainnet_validation_params));
    expect(ours(CHAIN_DEFAULT_VALIDATION_PARAMS)).toEqual(toParams(vectors.chain_params_used.chain_default_validation_params));
  });
});

describe("validator seeds (sampling.validatorSeeds)", () => {
  const seeds = vectors.sampling.validatorSeeds as { private_key_hex: string; epoch: number; seed: string; seed_signature_hex: string }[];
  it.each(seeds.map((s) => [s.epoch, s.seed, s] as const))("epoch %i → seed %s and its MsgSubmitSeed signature", (_e, _s, s) => {
    const r = validatorSeed({ privateKey: s.private_key_hex, epoch: s.epoch });
    expect(r.seed).toBe(BigInt(s.seed));
    expect(r.seedSignature).toBe(s.seed_signature_hex);
    expect(seedFromSignature(Buffer.from(r.epochSignature, "hex"))).toBe(r.seed);
    expect(validatorSeed({ privateKey: s.private_key_hex, epoch: BigInt(s.epoch) }).seed).toBe(r.seed);
  });
  it("clears the top bit and maps 0 to 1", () => {
    expect(seedFromSignature(new Uint8Array(64).fill(0xff))).toBe(0x7fffffffffffffffn);
    expect(seedFromSignature(new Uint8Array(64))).toBe(1n);
    expect(seedFromSignature(Uint8Array.from([0x80, 0, 0, 0, 0, 0, 0, 0]))).toBe(1n);
  });
  it("refuses bad keys and epochs", () => {
    expect(() => validatorSeed({ privateKey: "00", epoch: 1 })).toThrow(InvalidArgumentError);
    expect(() => validatorSeed({ privateKey: seeds[0]!.private_key_hex, epoch: -1 })).toThrow(InvalidArgumentError);
    expect(() => validatorSeed({ privateKey: seeds[0]!.private_key_hex, epoch: 1.5 })).toThrow(InvalidArgumentError);
  });
});

describe("DeterministicFloat (sampling.deterministicFloat)", () => {
  const cases = vectors.sampling.deterministicFloat as { seed: string; id: string; value: string }[];
  it("has the 24 vectors", () => expect(cases).toHaveLength(24));
  it.each(cases.map((c, i) => [i, c.seed, c] as const))("vector %i (seed %s)", (_i, _s, c) => {
    expect(deterministicFloat(BigInt(c.seed), c.id).toString()).toBe(c.value);
  });
  it("needs a bigint seed", () => {
    expect(() => deterministicFloat(5 as unknown as bigint, "x")).toThrow(InvalidArgumentError);
  });
});

describe("minimum validation average (sampling.minValidationAverage)", () => {
  const cases = vectors.sampling.minValidationAverage as { traffic_basis: number; value: string }[];
  it.each(cases.map((c) => [c.traffic_basis, c.value] as const))("traffic %i → %s", (t, value) => {
    expect(minValidationAverage(t).toString()).toBe(value);
    expect(minValidationAverage(BigInt(t), MAINNET_VALIDATION_PARAMS).toString()).toBe(value);
  });
  it("refuses a fractional traffic basis", () => {
    expect(() => minValidationAverage(1.5)).toThrow(InvalidArgumentError);
  });
});

describe("ShouldValidate (sampling.shouldValidate)", () => {
  type SV = {
    seed: number | bigint;
    details: { inference_id: string; executor_reputation: number; traffic_basis: number };
    total_power: number;
    validator_power: number;
    executor_power: number;
    should_validate: boolean;
    message: string;
    random_value?: string;
    probability?: string;
    range_size?: string;
    target_validations?: string;
    min_validation_average?: string;
  };
  const cases = vectors.sampling.shouldValidate as SV[];
  it("has the 38 vectors", () => expect(cases).toHaveLength(38));
  it.each(cases.map((c, i) => [i, c.should_validate, c] as const))("vector %i → %s", (_i, _sv, c) => {
    const r = shouldValidate({
      seed: big(c.seed),
      inferenceId: c.details.inference_id,
      executorReputation: c.details.executor_reputation,
      trafficBasis: c.details.traffic_basis,
      executorPower: c.executor_power,
      validatorPower: c.validator_power,
      totalPower: c.total_power,
    });
    expect(r.shouldValidate).toBe(c.should_validate);
    expect(r.message).toBe(c.message);
    expect(r.randomValue?.toString()).toBe(c.random_value);
    expect(r.probability?.toString()).toBe(c.probability);
    expect(r.rangeSize?.toString()).toBe(c.range_size);
    expect(r.targetValidations?.toString()).toBe(c.target_validations);
    expect(r.minValidationAverage?.toString()).toBe(c.min_validation_average);
  });
  it("converts weights with uint32 wrap-around, as the chain does", () => {
    const base = { seed: 11n, inferenceId: "y", executorReputation: 0, trafficBasis: 0 };
    const a = shouldValidate({ ...base, executorPower: 1, validatorPower: 2, totalPower: 3 });
    const b = shouldValidate({ ...base, executorPower: 1n + (1n << 32n), validatorPower: 2n + (1n << 32n), totalPower: 3n + (1n << 33n) });
    expect(b).toEqual(a);
  });
  it("refuses bad arguments with typed errors", () => {
    const ok = { seed: 1n, inferenceId: "x", executorReputation: 0, trafficBasis: 0, executorPower: 1, validatorPower: 1, totalPower: 3 };
    expect(() => shouldValidate({ ...ok, seed: 1 as unknown as bigint })).toThrow(InvalidArgumentError);
    expect(() => shouldValidate({ ...ok, executorReputation: 0.5 })).toThrow(InvalidArgumentError);
    expect(() => shouldValidate({ ...ok, totalPower: 1.5 })).toThrow(InvalidArgumentError);
  });
});
