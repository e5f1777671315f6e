/**
 * Seeds, murmur3, uniforms and Box–Muller normals against torch.seedFromString / torch.murmur3 /
 * torch.normal of test/fixtures/poc-v2.json (computed on an H200). Integers must be exact; float32
 * normals agree to ~1e-6 (CUDA's libm rounds log/cos/sin differently in the last bit), so their
 * sha256_f32le fields — CUDA's exact bits — are not compared; every listed value is, within 4 ulps.
 */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors.js";
import { murmur3, normals, seedFromString, uniform } from "../../../src/poc/v2/index.js";
import { f32, f32hex, ulps32, V } from "./fixtures.js";

describe("seedFromString", () => {
  for (const c of V.torch.seedFromString) {
    it(`"${c.string.slice(0, 40)}…" → ${c.seed}`, () => expect(seedFromString(c.string)).toBe(c.seed));
  }
  it("rejects a non-string", () => expect(() => seedFromString(7 as unknown as string)).toThrow(InvalidArgumentError));
});

describe("murmur3 (one block, no length mix-in) and uniform", () => {
  for (const c of V.torch.murmur3.cases) {
    it(`seed ${c.seed}: keys 0..15 and float32 uniforms are exact`, () => {
      expect(c.murmur3.map((_: number, i: number) => murmur3(i, c.seed))).toEqual(c.murmur3);
      expect(Array.from(uniform(c.seed, c.uniform_f32hex.length), f32hex)).toEqual(c.uniform_f32hex);
    });
  }
  it("keys beyond 2^22 (the inputs of a 1024×4096 tensor) are exact", () => {
    const got = V.torch.murmur3.seed12345_keys_4194300_to_4194309.map((_: number, i: number) => murmur3(4194300 + i, 12345));
    expect(got).toEqual(V.torch.murmur3.seed12345_keys_4194300_to_4194309);
  });
  it("a hash of 2^32 − 1 rounds to a uniform of exactly 1 (float32 conversion first)", () => {
    // float32(4294967295) = 2^32, so u = 1: the network's formula, not a [0, 1) draw.
    expect(Math.fround(0xffffffff) * 2 ** -32).toBe(1);
  });
});

describe("normals(seed, n): Box–Muller in float32, cosines then sines", () => {
  for (const c of V.torch.normal) {
    it(`seed ${c.seed} n ${c.n}: first and last values within 4 float32 ulps of CUDA`, () => {
      const z = normals(c.seed, c.n);
      expect(z.length).toBe(c.n);
      c.first_f32hex.forEach((h: string, i: number) => expect(ulps32(z[i], f32(h))).toBeLessThanOrEqual(4));
      c.last_f32hex.forEach((h: string, i: number) => expect(ulps32(z[c.n - c.last_f32hex.length + i], f32(h))).toBeLessThanOrEqual(4));
      c.first.forEach((x: number, i: number) => expect(Math.abs(z[i] - x)).toBeLessThan(1e-6));
    });
  }
  it("odd n drops the last sine: normals(s, 7) is the first 7 of normals(s, 8) (both use m = 4 pairs)", () => {
    const z7 = normals(4087096452, 7);
    const z8 = normals(4087096452, 8);
    // m = 4 for both: the cosines z0..z3 are shared; n = 7 keeps sines z1_0..z1_2.
    expect(Array.from(z7)).toEqual(Array.from(z8.subarray(0, 7)));
  });
  it("writes into a given buffer and rejects bad sizes and seeds", () => {
    const out = new Float32Array(10);
    expect(normals(1, 5, out)).toBe(out);
    expect(() => normals(1, -1)).toThrow(InvalidArgumentError);
    expect(() => normals(1, 1.5)).toThrow(InvalidArgumentError);
    expect(() => normals(-1, 4)).toThrow(InvalidArgumentError);
    expect(() => normals(2 ** 32, 4)).toThrow(InvalidArgumentError);
    expect(() => normals(1, 11, out)).toThrow(/at least 11/);
  });
});
