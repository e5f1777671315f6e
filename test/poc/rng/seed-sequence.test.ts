import { describe, expect, it } from "vitest";
import { RngSeedError, SeedSequence, seedEntropy } from "../../../src/poc/rng/index.js";
import { fixture, type RngVectors } from "./fixtures.js";

const v = fixture<RngVectors>("rng.json");

describe("seedEntropy", () => {
  it.each(v.entropy.map((e, i) => [i, e] as const))("reproduces entropy words of vector %i", (_i, e) => {
    expect(Array.from(seedEntropy(e.seed, e.numHashes))).toEqual(e.words);
  });

  it("rejects non-string seeds and bad hash counts with typed errors that do not echo the seed", () => {
    expect(() => seedEntropy(12345 as unknown as string, 1)).toThrow(RngSeedError);
    expect(() => seedEntropy("s", 0)).toThrow(RngSeedError);
    expect(() => seedEntropy("s", 1.5)).toThrow(RngSeedError);
    try {
      seedEntropy({ secret: "hunter2" } as unknown as string, 1);
    } catch (e) {
      expect(String((e as Error).message)).not.toContain("hunter2");
    }
  });
});

describe("SeedSequence", () => {
  it.each(v.seedSequence.map((s, i) => [i, s] as const))("reproduces pool and states of vector %i", (_i, s) => {
    const ss = new SeedSequence(s.entropy);
    expect(Array.from(ss.pool)).toEqual(s.pool);
    expect(Array.from(ss.generateState32(8))).toEqual(s.state32_8);
    expect(Array.from(ss.generateState64(4), (w) => `0x${w.toString(16).padStart(16, "0")}`)).toEqual(s.state64);
  });

  it("pads short entropy with zeros like numpy (SeedSequence(123) pool)", () => {
    // numpy 2.4: list(np.random.SeedSequence(123).pool)
    const pool = [2094644227, 1350207825, 398775447, 1946508535];
    expect(Array.from(new SeedSequence([123]).pool)).toEqual(pool);
    expect(Array.from(new SeedSequence([123, 0, 0, 0]).pool)).toEqual(pool);
  });

  it("rejects words that are not uint32", () => {
    expect(() => new SeedSequence([2 ** 32])).toThrow(RngSeedError);
    expect(() => new SeedSequence([-1])).toThrow(RngSeedError);
  });
});
