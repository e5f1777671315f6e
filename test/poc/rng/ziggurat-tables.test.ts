import { describe, expect, it } from "vitest";
import { ZIGGURAT_FI, ZIGGURAT_INV_R, ZIGGURAT_KI, ZIGGURAT_R, ZIGGURAT_WI } from "../../../src/poc/rng/index.js";
import { fixture, parseHexFloat, type ZigguratVectors } from "./fixtures.js";

const z = fixture<ZigguratVectors>("numpy-ziggurat-double.json");

describe("ziggurat tables", () => {
  it("equal numpy's figures in numpy-ziggurat-double.json", () => {
    expect(ZIGGURAT_R).toBe(z.r);
    expect(ZIGGURAT_INV_R).toBe(z.inv_r);
    expect(ZIGGURAT_KI.map((k) => BigInt(k))).toEqual(z.ki.map((k) => BigInt(k)));
    expect(ZIGGURAT_WI).toEqual(z.wi.map(parseHexFloat));
    expect(ZIGGURAT_FI).toEqual(z.fi.map(parseHexFloat));
  });

  it("satisfy the ziggurat's defining relations for r = 3.6541528853610088", () => {
    const x = ZIGGURAT_WI.map((w) => w * 2 ** 52); // layer edges x_i (x_0: base strip width v / f(r))
    expect(x[255]).toBe(ZIGGURAT_R);
    const f = (t: number): number => Math.exp(-0.5 * t * t);
    const area = ZIGGURAT_R * f(ZIGGURAT_R) + Math.sqrt(Math.PI / 2) * erfc(ZIGGURAT_R / Math.SQRT2);
    expect(x[0]).toBeCloseTo(area / f(ZIGGURAT_R), 9);
    for (let i = 1; i < 256; i++) {
      expect(ZIGGURAT_FI[i]).toBeCloseTo(f(x[i]), 12);
      expect(x[i] * (ZIGGURAT_FI[i - 1] - ZIGGURAT_FI[i])).toBeCloseTo(area, 10); // equal layer areas
      if (i >= 2) expect(ZIGGURAT_KI[i] / 2 ** 52).toBeCloseTo(x[i - 1] / x[i], 12);
    }
    expect(ZIGGURAT_KI[0] / 2 ** 52).toBeCloseTo(ZIGGURAT_R / x[0], 12);
    expect(ZIGGURAT_FI[0]).toBe(1);
    expect(ZIGGURAT_KI[1]).toBe(0);
  });
});

/** erfc via a continued fraction (accurate to ~1e-15 for x > 2). */
function erfc(x: number): number {
  let t = 0;
  for (let k = 60; k >= 1; k--) t = (k / 2) / (x + t);
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + t);
}
