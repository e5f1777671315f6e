import { describe, expect, it } from "vitest";
import {
  float16ArrayToFloat32,
  float16BitsToNumber,
  pairwiseSum,
  pocInputs,
  pocInputsBatch,
  pocInputsFloat32,
  pocInputsSeed,
  pocPermutation,
  pocPermutationSeed,
  pocTarget,
  pocTargetSeed,
  RngSeedError,
} from "../../../src/poc/rng/index.js";
import { fixture, sha256Hex, type PocVectors } from "./fixtures.js";

const v = fixture<PocVectors>("poc.json");

describe.each(v.cases.map((c) => [c.name, c] as const))("PoC randomness of case %s", (_name, c) => {
  const { seq_len: seqLen, dim, vocab_size: vocab } = c.params;

  it("reproduces every nonce's input hash (float16 after float64 -> float32 -> float16)", () => {
    c.nonces.forEach((nonce, i) => {
      expect(sha256Hex(pocInputs(c.blockHash, c.publicKey, nonce, seqLen, dim))).toBe(c.inputs_sha256_f16le[i]);
    });
    const x = pocInputs(c.blockHash, c.publicKey, BigInt(c.nonces[0]), seqLen, dim);
    expect(Array.from(x.subarray(0, c.inputs_first.length), float16BitsToNumber)).toEqual(c.inputs_first);
  });

  it("gives the same values widened to float32 in one pass", () => {
    c.nonces.slice(0, 4).forEach((nonce, i) => {
      const f32 = pocInputsFloat32(c.blockHash, c.publicKey, nonce, seqLen, dim);
      const bits = pocInputs(c.blockHash, c.publicKey, nonce, seqLen, dim);
      expect(sha256Hex(bits)).toBe(c.inputs_sha256_f16le[i]);
      expect(f32).toEqual(float16ArrayToFloat32(bits));
    });
  });

  it("batches inputs of several nonces into one buffer", () => {
    const batch = pocInputsBatch(c.blockHash, c.publicKey, c.nonces.slice(0, 3), seqLen, dim);
    const per = seqLen * dim;
    for (let i = 0; i < 3; i++) expect(sha256Hex(batch.subarray(i * per, (i + 1) * per))).toBe(c.inputs_sha256_f16le[i]);
  });

  it("reproduces every nonce's permutation prefix", () => {
    c.nonces.forEach((nonce, i) => {
      const perm = pocPermutation(c.blockHash, c.publicKey, nonce, vocab);
      expect(Array.from(perm.subarray(0, c.perm_first[i].length))).toEqual(c.perm_first[i]);
    });
  });

  it("reproduces the target bit for bit (numpy's pairwise norm) and it has unit length", () => {
    const t = pocTarget(c.blockHash, vocab);
    expect(Array.from(t.subarray(0, c.target_first.length))).toEqual(c.target_first);
    expect(sha256Hex(t)).toBe(c.target_sha256_f64le);
    expect(Math.abs(Math.hypot(...t) - 1)).toBeLessThan(1e-14);
  });
});

describe("seed strings and arguments", () => {
  it("formats seeds as the network does", () => {
    expect(pocInputsSeed("AB", "02ff", 7)).toBe("AB_02ff_nonce7");
    expect(pocInputsSeed("AB", "02ff", 2147483653n)).toBe("AB_02ff_nonce2147483653");
    expect(pocPermutationSeed("AB", "02ff", 7)).toBe("AB_02ff_nonce_7_permutations");
    expect(pocTargetSeed("AB")).toBe("AB_target");
  });

  it("rejects non-integer nonces and non-string hashes", () => {
    expect(() => pocInputsSeed("AB", "pk", 1.5)).toThrow(RngSeedError);
    expect(() => pocInputsSeed(5 as unknown as string, "pk", 1)).toThrow(RngSeedError);
    expect(() => pocTarget(undefined as unknown as string, 10)).toThrow(RngSeedError);
  });

  it("writes into a caller's buffer", () => {
    const c = v.cases[0];
    const n = c.params.seq_len * c.params.dim;
    const buf = new Uint16Array(n + 5);
    const x = pocInputs(c.blockHash, c.publicKey, c.nonces[1], c.params.seq_len, c.params.dim, buf);
    expect(x.buffer).toBe(buf.buffer);
    expect(sha256Hex(x)).toBe(c.inputs_sha256_f16le[1]);
  });
});

describe("pairwiseSum", () => {
  it("equals numpy's np.sum for sizes around its block boundaries", () => {
    // values k * 0.1 make the summation order visible in the last bits; numpy 2.4 sums
    const a = Float64Array.from({ length: 8196 }, (_, k) => (k % 97) * 0.1 + 1 / (k + 1));
    expect(pairwiseSum(a, 0, 7)).toBe(NUMPY_SUMS[0]);
    expect(pairwiseSum(a, 0, 100)).toBe(NUMPY_SUMS[1]);
    expect(pairwiseSum(a, 0, 129)).toBe(NUMPY_SUMS[2]);
    expect(pairwiseSum(a)).toBe(NUMPY_SUMS[3]);
  });
});

// numpy 2.4: np.sum(a[:n]) for n = 7, 100, 129, 8196 (a naive loop gives 39232.78867817831 for 8196)
const NUMPY_SUMS = [4.692857142857143, 471.08737751763965, 520.6408990305737, 39232.78867817839];
