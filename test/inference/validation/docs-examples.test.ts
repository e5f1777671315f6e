/** The examples of docs/inference-validation.md, run as written, and the vectors' key material. */
import { describe, expect, it } from "vitest";
import {
  computeParticipantStatus,
  decimalFromFloat,
  maxActiveInvalidations,
  minValidationAverage,
  reputation,
  scoreValidation,
  shouldValidate,
  signerFromPrivateKey,
  sprtPrecompute,
  sprtUpdate,
  validationThresholdFor,
  passesValidationThreshold,
  validatorSeed,
} from "../../../src/inference/index.js";
import { payload, vectors } from "./vectors.js";

describe("docs/inference-validation.md examples", () => {
  it("sampling", () => {
    const { seed } = validatorSeed({ privateKey: vectors.sampling.validatorSeeds[0].private_key_hex, epoch: 412n });
    expect(seed).toBe(6319769218445448120n);
    const r = shouldValidate({
      seed,
      inferenceId: vectors.sampling.shouldValidate[1].details.inference_id,
      executorReputation: 0,
      trafficBasis: 150,
      executorPower: 90_000,
      validatorPower: 150_000,
      totalPower: 1_000_000,
    });
    expect(r.shouldValidate).toBe(true);
    expect(r.probability?.toString()).toBe("0.1648351648351648");
    expect(r.randomValue?.toString()).toBe("0.0610787187640992");
    expect(minValidationAverage(2500).toString()).toBe("0.534693877551020445");
  });

  it("score, value_decimal and thresholds", () => {
    const o = scoreValidation({ executorPayload: payload("executor_0"), validatorResponse: { status: 200, body: payload("validator_1") } });
    expect(o.similarity).toBe(0.999057070427818);
    expect(o.valueDecimal).toEqual({ value: 999057070427818n, exponent: -15 });
    expect(passesValidationThreshold(o.valueDecimal!, validationThresholdFor("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8")!)).toBe(true);
    expect(decimalFromFloat(0.99)).toEqual({ value: 99n, exponent: -2 });
    expect(decimalFromFloat(0)).toEqual({ value: 0n, exponent: 0 });
  });

  it("limits, reputation and SPRT", () => {
    expect(maxActiveInvalidations({ inferencesInWindow: 250, weightFraction: "0.1", reputation: 100 })).toBe(38);
    expect(reputation({ epochCount: 15 })).toBe(50);
    expect(reputation({ epochCount: 20, epochs: [{ missPercentage: "0.5" }] })).toBe(65);
    const pre = sprtPrecompute();
    const u = sprtUpdate({ llr: "3.4", logFail: pre.invalidationLogFail, logPass: pre.invalidationLogPass, failures: 1, passes: 0, h: 4 });
    expect([u.llr.toString(), u.decision]).toEqual(["4.09314718056", "fail"]);
    const s = computeParticipantStatus({
      status: "ACTIVE",
      consecutiveInvalidInferences: 0,
      stats: { inferenceCount: 60, validatedInferences: 36, invalidatedInferences: 12, invalidLLR: "3.92316080638" },
      oldStats: { inferenceCount: 50, validatedInferences: 30, invalidatedInferences: 8 },
    });
    expect([s.status, s.reason, s.stats.invalidLLR.toString()]).toEqual(["INVALID", "statistical_invalidations", "6.371346201"]);
  });
});

describe("the vectors' keys", () => {
  it("every private key derives the listed public key and address", () => {
    for (const group of ["developers", "transfer_agents", "executors", "validators"]) {
      for (const k of vectors.keys[group] as { private_key_hex: string; pubkey_b64: string; address: string }[]) {
        const s = signerFromPrivateKey(k.private_key_hex);
        expect(s.address).toBe(k.address);
        expect(Buffer.from(s.publicKey).toString("base64")).toBe(k.pubkey_b64);
      }
    }
  });
});
