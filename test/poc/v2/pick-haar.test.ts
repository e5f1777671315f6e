/**
 * The k-dim pick (torch.pick, CUDA order; pick_cpu_order_example), the Haar rotation (torch.haar,
 * with the per-step unit vectors of nonce 0) and the per-layer reflection vectors
 * (torch.layer_householder). Picks are exact; float32 results agree with CUDA to ~1e-6 (the
 * reflection vectors' sha256_f32le, CUDA's bits, are therefore not compared — their bfloat16
 * casts, what the model uses, are, exactly).
 */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors.js";
import {
  haarReflectionVector, haarRotate, layerHouseholder, murmur3, pickIndices, pickSeedString, seedFromString, toBfloat16,
} from "../../../src/poc/v2/index.js";
import { f32, sha256Hex, ulps32, V } from "./fixtures.js";

describe("pickIndices: k smallest murmur3 scores in the network's (CUDA) order", () => {
  for (const c of V.torch.pick) {
    it(`nonce ${c.nonce}, dim ${c.dim}, k ${c.k}`, () => {
      expect(seedFromString(pickSeedString(c.block_hash, c.public_key, c.nonce, c.k))).toBe(c.seed);
      const idx = pickIndices({ blockHash: c.block_hash, publicKey: c.public_key, nonce: c.nonce, dim: c.dim, k: c.k });
      expect(idx).toEqual(c.indices);
      expect(idx.map((d) => murmur3(d, c.seed))).toEqual(c.scores_of_indices);
    });
  }
  it("the order is: indices below the k-th smallest score ascending, then the k-th one", () => {
    for (const c of V.torch.pick) {
      const kth = Math.max(...c.scores_of_indices);
      expect(c.scores_of_indices[c.k - 1]).toBe(kth);
      const head = c.indices.slice(0, c.k - 1);
      expect(head).toEqual([...head].sort((a: number, b: number) => a - b));
    }
  });
  for (const c of V.pick_cpu_order_example) {
    it(`a CPU torch run (nonce ${c.nonce}) picks the same set in ascending score order — not the network's order`, () => {
      const cuda = pickIndices({ blockHash: V.torch.pick[0].block_hash, publicKey: V.torch.pick[0].public_key, nonce: c.nonce, dim: c.dim, k: c.k });
      expect([...cuda].sort((a, b) => a - b)).toEqual([...c.indices_cpu].sort((a: number, b: number) => a - b));
      const seed = seedFromString(pickSeedString(V.torch.pick[0].block_hash, V.torch.pick[0].public_key, c.nonce, c.k));
      expect([...cuda].sort((a, b) => murmur3(a, seed) - murmur3(b, seed))).toEqual(c.indices_cpu);
      expect(cuda).not.toEqual(c.indices_cpu);
    });
  }
  it("rejects k > dim and non-integer sizes", () => {
    expect(() => pickIndices({ blockHash: "B", publicKey: "P", nonce: 0, dim: 4, k: 5 })).toThrow(InvalidArgumentError);
    expect(() => pickIndices({ blockHash: "B", publicKey: "P", nonce: 0, dim: 0 })).toThrow(InvalidArgumentError);
  });
});

describe("haarRotate: k−1 seeded Householder reflections", () => {
  for (const c of V.torch.haar) {
    it(`nonce ${c.nonce}, k ${c.k}, ${c.block_hash.slice(0, 10)}: y within 1e-6 of CUDA, length kept`, () => {
      const x = c.x_f32hex.map(f32);
      const y = haarRotate({ blockHash: c.block_hash, publicKey: c.public_key, nonce: c.nonce, x });
      c.y_f32hex.forEach((h: string, i: number) => expect(Math.abs(y[i] - f32(h)), `element ${i}`).toBeLessThan(1e-6));
      const n = (v: ArrayLike<number>): number => Math.hypot(...Array.from(v));
      expect(Math.abs(n(y) - n(x))).toBeLessThan(1e-5);
      for (const u of c.householder_unit_vectors_nonce0 ?? []) {
        const v = haarReflectionVector({ blockHash: c.block_hash, publicKey: c.public_key, nonce: c.nonce, k: c.k, step: u.j });
        u.v_f32hex.forEach((h: string, i: number) => expect(ulps32(v[i], f32(h)), `step ${u.j} element ${i}`).toBeLessThanOrEqual(8));
      }
    });
  }
  it("rejects an empty vector and out-of-range steps", () => {
    expect(() => haarRotate({ blockHash: "B", publicKey: "P", nonce: 0, x: [] })).toThrow(InvalidArgumentError);
    expect(() => haarReflectionVector({ blockHash: "B", publicKey: "P", nonce: 0, k: 12, step: 11 })).toThrow(InvalidArgumentError);
  });
});

describe("layerHouseholder: the reflection vector of each decoder layer", () => {
  for (const c of V.torch.layer_householder) {
    it(`layer ${c.layer}, hidden ${c.hidden_size}: bfloat16 cast exact, float32 within 1e-8`, () => {
      expect(seedFromString(`${c.block_hash}_layer_${c.layer}_householder`)).toBe(c.seed);
      const v = layerHouseholder({ blockHash: c.block_hash, layer: c.layer, hiddenSize: c.hidden_size });
      c.first_f32hex.forEach((h: string, i: number) => expect(Math.abs(v[i] - f32(h))).toBeLessThan(1e-8));
      expect(sha256Hex(toBfloat16(v))).toBe(c.sha256_bf16le);
      expect(Math.abs(Math.hypot(...Array.from(v)) - 1)).toBeLessThan(1e-6);
    });
  }
  it("rejects a negative layer", () => {
    expect(() => layerHouseholder({ blockHash: "B", layer: -1, hiddenSize: 8 })).toThrow(InvalidArgumentError);
  });
});
