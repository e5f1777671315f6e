import { describe, expect, it } from "vitest";
import { Generator, Pcg64, SeedSequence, rngFromSeed } from "../../../src/poc/rng/index.js";
import { fixture, sha256Hex, type RngVectors } from "./fixtures.js";

const v = fixture<RngVectors>("rng.json");

describe("permutation", () => {
  it("reproduces every permutation vector, including calls that share one generator", () => {
    let g: Generator | undefined;
    for (const p of v.permutation) {
      if (!p.afterPrevious || !g) g = rngFromSeed(p.seed, p.numHashes);
      const perm = g.permutation(p.n);
      expect(Array.from(perm.subarray(0, p.first.length))).toEqual(p.first);
      if (p.perm) expect(Array.from(perm)).toEqual(p.perm);
      expect(sha256Hex(BigInt64Array.from(perm, (x) => BigInt(x)))).toBe(p.sha256_i64le);
    }
  });

  it("continues the buffered uint32 across calls (numpy 2.4: SeedSequence(7), permutation 5, 2, 6)", () => {
    const g = new Generator(new Pcg64(new SeedSequence([7])));
    expect(Array.from(g.permutation(5))).toEqual([2, 0, 4, 1, 3]);
    expect(Array.from(g.permutation(2))).toEqual([1, 0]);
    const mid = g.bitGenerator.getState();
    expect([mid.hasUint32, mid.uinteger]).toEqual([true, 3331544671]);
    expect(Array.from(g.permutation(6))).toEqual([5, 0, 4, 1, 3, 2]);
    const end = g.bitGenerator.getState();
    expect([end.state, end.hasUint32]).toEqual([0x2b8f4147f50a92d4af441c641d9641aan, true]);
  });

  it("handles n = 0 and n = 1 without drawing", () => {
    const g = new Generator(new Pcg64(new SeedSequence([7])));
    const before = g.bitGenerator.state;
    expect(Array.from(g.permutation(0))).toEqual([]);
    expect(Array.from(g.permutation(1))).toEqual([0]);
    expect(g.bitGenerator.state).toBe(before);
  });

  it("is a permutation for sizes crossing the kernel's chunk (300 000)", () => {
    const p = rngFromSeed("big", 1).permutation(300_000);
    const seen = new Uint8Array(300_000);
    for (const x of p) seen[x]++;
    expect(seen.every((c) => c === 1)).toBe(true);
  });
});
