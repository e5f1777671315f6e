import { describe, expect, it } from "vitest";
import { GonkaError, InvalidArgumentError } from "../../../src/errors.js";
import {
  Generator,
  MAX_ALLOCATION_BYTES,
  Pcg64,
  RngSeedError,
  RngSizeError,
  SeedSequence,
  pocInputs,
  rngFromSeed,
} from "../../../src/poc/rng/index.js";

const rng = (): Generator => rngFromSeed("errors", 1);

describe("bad input gives typed errors", () => {
  it.each([
    ["negative", -1],
    ["non-integer", 2.5],
    ["NaN", NaN],
    ["string", "10"],
    ["beyond 2^32 elements", 2 ** 32 + 1],
    ["negative bigint", -3n],
  ])("rejects a %s size", (_what, n) => {
    for (const f of [
      (g: Generator) => g.standardNormal(n as number),
      (g: Generator) => g.random(n as number),
      (g: Generator) => g.normal(0, 1, n as number),
      (g: Generator) => g.permutation(n as number),
    ]) {
      let err: unknown;
      try {
        f(rng());
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RngSizeError);
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect(err).toBeInstanceOf(GonkaError);
    }
  });

  it("refuses results larger than the allocation limit before allocating", () => {
    const n = MAX_ALLOCATION_BYTES / 8 + 1;
    expect(() => rng().standardNormal(n)).toThrow(RngSizeError);
    expect(() => pocInputs("h", "pk", 0, 2 ** 16, 2 ** 16 + 8)).toThrow(RngSizeError);
  });

  it("accepts bigint sizes and zero", () => {
    expect(rng().standardNormal(3n)).toHaveLength(3);
    expect(rng().random(0)).toHaveLength(0);
  });

  it("rejects bad seeds, scales and generators without echoing the seed", () => {
    expect(() => rngFromSeed(42 as unknown as string, 1)).toThrow(RngSeedError);
    expect(() => rngFromSeed(null as unknown as string, 1)).toThrow(RngSeedError);
    expect(() => new SeedSequence("abc" as unknown as number[])).toThrow(RngSeedError);
    expect(() => rng().normal(0, -1, 3)).toThrow(InvalidArgumentError);
    expect(() => rng().normal(0, NaN, 3)).toThrow(InvalidArgumentError);
    expect(() => new Generator({} as Pcg64)).toThrow(InvalidArgumentError);
    expect(() => new Pcg64(new SeedSequence([1])).advance(1.5)).toThrow(RngSeedError);
    try {
      rngFromSeed({ mnemonic: "abandon ability" } as unknown as string, 1);
    } catch (e) {
      expect((e as Error).message).not.toContain("abandon");
    }
  });
});
