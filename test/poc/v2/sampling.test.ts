/**
 * Leaf sampling against go.sample_leaf_indices (the network node's Go code), and the Go math/rand
 * port against values printed by Go 1.19's own math/rand (an independent implementation, run once
 * when this test was written: `rand.New(rand.NewSource(seed))`, 5000 × Int63 hashed as LE64 with
 * sha256, and Intn over a range of bounds) — that check covers every word of the 607-entry table.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors.js";
import { GoRand, leafSamplingSeed, leafSamplingSeedInput, sampleLeafIndices } from "../../../src/poc/v2/index.js";
import { V } from "./fixtures.js";

function sha256Le32(xs: number[]): string {
  const b = Buffer.alloc(4 * xs.length);
  xs.forEach((x, i) => b.writeUInt32LE(x, 4 * i));
  return createHash("sha256").update(b).digest("hex");
}

describe("sampleLeafIndices (Go math/rand, lazy Fisher–Yates)", () => {
  for (const c of V.go.sample_leaf_indices) {
    it(`count ${c.count}, sample ${c.sample_size}, height ${c.block_height}`, () => {
      const args = { validatorPubKey: c.validator_pub_key, blockHash: c.block_hash, blockHeight: c.block_height, modelId: c.model_id, count: c.count, sampleSize: c.sample_size };
      expect(leafSamplingSeedInput(args)).toBe(c.seed_input);
      expect(leafSamplingSeed(c.seed_input)).toBe(BigInt(c.seed_int64));
      const got = sampleLeafIndices(args);
      if ("indices" in c) expect(got).toEqual(c.indices ?? []);
      if (c.len !== undefined) {
        expect(got.length).toBe(c.len);
        expect(got.slice(0, c.first.length)).toEqual(c.first);
        expect(got.slice(-c.last.length)).toEqual(c.last);
        expect(sha256Le32(got)).toBe(c.sha256_le32);
      }
      expect(new Set(got).size).toBe(got.length);
    });
  }
  it("sampleSize 0 gives no indices (the 0 → 200 default is the caller's)", () => {
    const c = V.go.sample_leaf_indices.find((x: { sample_size: number }) => x.sample_size === 0);
    expect(sampleLeafIndices({ validatorPubKey: c.validator_pub_key, blockHash: c.block_hash, blockHeight: c.block_height, modelId: c.model_id, count: c.count, sampleSize: 0 })).toEqual([]);
  });
  it("the sampling hash's case changes the sample (upper-case hex is what the node uses)", () => {
    const c = V.go.sample_leaf_indices[4];
    const a = { validatorPubKey: c.validator_pub_key, blockHash: c.block_hash, blockHeight: c.block_height, modelId: c.model_id, count: c.count, sampleSize: 20 };
    expect(sampleLeafIndices({ ...a, blockHash: a.blockHash.toLowerCase() })).not.toEqual(sampleLeafIndices(a));
  });
  it("rejects bad counts and heights", () => {
    const a = { validatorPubKey: "02ab", blockHash: "AB", blockHeight: 1, modelId: "m", count: 10, sampleSize: 5 };
    expect(() => sampleLeafIndices({ ...a, count: -1 })).toThrow(InvalidArgumentError);
    expect(() => sampleLeafIndices({ ...a, count: 2 ** 32 })).toThrow(InvalidArgumentError);
    expect(() => sampleLeafIndices({ ...a, sampleSize: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => sampleLeafIndices({ ...a, blockHeight: 1.5 })).toThrow(InvalidArgumentError);
  });
});

describe("GoRand = Go 1.19 math/rand", () => {
  // Printed by Go 1.19.8: first three Int63 values and sha256 of 5000 Int63 as LE64.
  const go: [bigint, string[], string][] = [
    [1n, ["5577006791947779410", "8674665223082153551", "6129484611666145821"], "ceb100bfc8f4b4d606aef9707778fb46d521b9011b5f0c88c576a216c4358757"],
    [0n, ["8717895732742165505", "2259404117704393152", "6050128673802995827"], "13ddf889ee348f86525525adb76270d41c580f0e13b0b38a879cd4391eb0e005"],
    [-1n, ["3644962268338389676", "550171362161912239", "3094056749125766625"], "da14b2ce1eb8be849074e59194cb3314a5255772662ce1cc5549ad5d3495c90d"],
    [2147483647n, ["8717895732742165505", "2259404117704393152", "6050128673802995827"], "13ddf889ee348f86525525adb76270d41c580f0e13b0b38a879cd4391eb0e005"],
    [-9094944405735469897n, ["5787322808701648550", "4091503643553761871", "5470449488888143199"], "19733fdf6b30d5bdfe6e7a16060ab790e664225c9b00a0fc3e1b0b1a686ad52c"],
    [9223372036854775807n, ["5577006791947779410", "8674665223082153551", "6129484611666145821"], "ceb100bfc8f4b4d606aef9707778fb46d521b9011b5f0c88c576a216c4358757"],
  ];
  for (const [seed, first, digest] of go) {
    it(`seed ${seed}: 5000 × Int63 as Go draws them`, () => {
      const r = new GoRand(seed);
      const b = Buffer.alloc(8 * 5000);
      for (let i = 0; i < 5000; i++) {
        const v = r.int63();
        if (i < 3) expect(v.toString()).toBe(first[i]);
        b.writeBigUInt64LE(v, 8 * i);
      }
      expect(createHash("sha256").update(b).digest("hex")).toBe(digest);
    });
  }
  it("Intn over small, power-of-two, 2^31−1 and 63-bit bounds (seed 42)", () => {
    const r = new GoRand(42);
    const bounds = [1, 2, 3, 7, 1000, 2 ** 30, 2147483647, 2147483648, 4294967295, 2 ** 40, 9007199254740991];
    expect(bounds.map((n) => r.intn(n))).toEqual([0, 1, 2, 1, 423, 822901345, 1745640357, 1276434112, 299021813, 907869620312, 2561836123535091]);
  });
});
