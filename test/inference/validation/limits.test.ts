import { describe, expect, it } from "vitest";
import { binomialPValue, MAINNET_INVALIDATION_LIMITS, maxActiveInvalidations, missedStatTest, tanhApprox } from "../../../src/inference/index.js";
import { InvalidArgumentError } from "../../../src/errors.js";
import { vectors } from "./vectors.js";

describe("maximum open invalidations (maxInvalidations)", () => {
  const cases = vectors.maxInvalidations as {
    inferences_in_window: number;
    weight_fraction: string;
    reputation: number;
    invalidations_limit: number;
    curve_factor: number;
    minimum_concurrent_invalidations: number;
    max_active_invalidations: number;
  }[];
  it("has the 7 vectors", () => expect(cases).toHaveLength(7));
  it.each(cases.map((c, i) => [i, c.max_active_invalidations, c] as const))("vector %i → %i", (_i, _m, c) => {
    const limits = {
      invalidationsLimit: c.invalidations_limit,
      invalidationsLimitCurve: c.curve_factor,
      minimumConcurrentInvalidations: c.minimum_concurrent_invalidations,
    };
    expect(maxActiveInvalidations({ inferencesInWindow: c.inferences_in_window, weightFraction: c.weight_fraction, reputation: c.reputation, limits })).toBe(
      c.max_active_invalidations,
    );
  });
  it("the bandwidth limits used are mainnet's", () => {
    const b = vectors.chain_params_used.bandwidth_limits;
    expect(MAINNET_INVALIDATION_LIMITS).toEqual({
      invalidationsLimit: b.invalidations_limit,
      invalidationsLimitCurve: b.invalidations_limit_curve,
      minimumConcurrentInvalidations: b.minimum_concurrent_invalidations,
      invalidationsSamplePeriodS: b.invalidations_sample_period_s,
    });
  });
  it("tanh is the clamped 20-term approximation (just below 1 at the clamp)", () => {
    expect(tanhApprox(0).toString()).toBe("0");
    expect(tanhApprox(400).lt(1)).toBe(true);
    expect(tanhApprox(400).eq(tanhApprox(10))).toBe(true);
    // negative arguments go through the same truncated series for e^{2x}, so they are not exactly odd
    expect(Math.abs(tanhApprox(-3).toNumber() - Math.tanh(-3))).toBeLessThan(1e-3);
    expect(Math.abs(tanhApprox("0.4").toNumber() - Math.tanh(0.4))).toBeLessThan(1e-15);
  });
  it("falls back to the minimum and refuses bad input", () => {
    expect(maxActiveInvalidations({ inferencesInWindow: 10, weightFraction: "1", reputation: 100, limits: { invalidationsLimit: 0, invalidationsLimitCurve: 250, minimumConcurrentInvalidations: 3 } })).toBe(3);
    expect(() => maxActiveInvalidations({ inferencesInWindow: 1.5, weightFraction: "0.1", reputation: 100 })).toThrow(InvalidArgumentError);
    expect(() => maxActiveInvalidations({ inferencesInWindow: 1, weightFraction: "0.1", reputation: 99.5 })).toThrow(InvalidArgumentError);
  });
});

describe("missed-validation test (missedValidationTest)", () => {
  const cases = vectors.missedValidationTest as {
    missed: number;
    total: number;
    p0: string;
    path: string;
    passed: boolean;
    error: string;
    binomial_p_value_prec16?: string;
  }[];
  it("has the 12 vectors", () => expect(cases).toHaveLength(12));
  it.each(cases.map((c) => [c.missed, c.total, c.p0, c.passed, c] as const))("%i of %i at p0 %s → passed %s", (_m, _t, _p, _ok, c) => {
    const r = missedStatTest(c.missed, c.total, c.p0);
    expect(r.passed).toBe(c.passed);
    expect(r.path).toBe(c.path);
    if (c.binomial_p_value_prec16 !== undefined) {
      expect(r.pValue?.toString()).toBe(c.binomial_p_value_prec16);
      expect(binomialPValue(c.missed, c.total, c.p0).toString()).toBe(c.binomial_p_value_prec16);
    } else expect(r.pValue).toBeUndefined();
  });
  it("table lookups use the largest listed total ≤ n; above 990 the ratio rule applies", () => {
    // p0 = 0.10: n = 75 uses n = 70's critical value 11; n = 2..4 carry no penalty
    expect(missedStatTest(11, 75, "0.1").passed).toBe(true);
    expect(missedStatTest(12, 75, "0.1").passed).toBe(false);
    expect(missedStatTest(4, 4, "0.1").passed).toBe(true);
    expect(missedStatTest(1, 1, "0.4").passed).toBe(true);
    expect(missedStatTest(100, 2000, "0.05").passed).toBe(true);
    expect(missedStatTest(101, 2000, "0.05").passed).toBe(false);
    expect(missedStatTest(48, 100, "0.4").passed).toBe(true);
    expect(missedStatTest(49, 100, "0.4").passed).toBe(false);
    // p0 · 1000 is truncated: 0.0505 uses the 0.05 table
    expect(missedStatTest(4, 10, "0.0505").path).toBe("table");
  });
  it("an empty total passes; impossible counts are refused", () => {
    expect(missedStatTest(0, 0, "0.25")).toEqual({ passed: true, path: "binomial" });
    expect(() => missedStatTest(11, 10, "0.4")).toThrow(InvalidArgumentError);
    expect(() => missedStatTest(-1, 10, "0.25")).toThrow(InvalidArgumentError);
    expect(() => binomialPValue(1, 10, "1")).toThrow(/\(0, 1\)/);
    expect(binomialPValue(0, 10, "0.3").toString()).toBe("1");
  });
});
