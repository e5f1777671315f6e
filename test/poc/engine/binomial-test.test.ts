import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors.js";
import { binomialUpperTail, POC_MISMATCH_PROBABILITY } from "../../../src/poc/index.js";
import { fixture } from "./fixtures.js";

describe("binomial upper tail (the fraud test's p-value)", () => {
  for (const b of fixture.binomtest) {
    it(`n=${b.n} k=${b.k} equals scipy's binomtest to 1e-9 relative`, () => {
      const v = binomialUpperTail(b.k, b.n, b.p);
      expect(Math.abs(v - b.pvalue) / b.pvalue).toBeLessThan(1e-9);
    });
  }

  it("stays finite and monotone for n = 10^6", () => {
    // Values from scipy.stats.binom.sf(k - 1, 10**6, 5e-4) (scipy 1.x, computed independently).
    expect(Math.abs(binomialUpperTail(600, 1_000_000) / 7.74506258311731e-6 - 1)).toBeLessThan(1e-9);
    expect(Math.abs(binomialUpperTail(400, 1_000_000) / 0.9999983614653264 - 1)).toBeLessThan(1e-9);
    expect(Math.abs(binomialUpperTail(1000, 1_000_000) / 2.9104789329060526e-86 - 1)).toBeLessThan(1e-9);
    let prev = 1;
    for (let k = 0; k <= 2000; k += 50) {
      const v = binomialUpperTail(k, 1_000_000);
      expect(v).toBeLessThanOrEqual(prev);
      prev = v;
    }
    expect(binomialUpperTail(1_000_000, 1_000_000)).toBe(0); // 5e-4^1e6 underflows to 0
  });

  it("uses p = 5e-4 by default and rejects impossible arguments", () => {
    expect(POC_MISMATCH_PROBABILITY).toBe(5e-4);
    expect(binomialUpperTail(1, 1)).toBeCloseTo(5e-4, 15);
    expect(() => binomialUpperTail(3, 2)).toThrow(InvalidArgumentError);
    expect(() => binomialUpperTail(-1, 2)).toThrow(InvalidArgumentError);
    expect(() => binomialUpperTail(1, 2.5)).toThrow(InvalidArgumentError);
  });
});
