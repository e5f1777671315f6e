import { describe, expect, it } from "vitest";
import { float16ArrayToFloat32, float16BitsToNumber, rngFromSeed, toFloat16Bits } from "../../../src/poc/rng/index.js";

// numpy 2.4: np.array([x]).astype(np.float32).astype(np.float16).view(np.uint16)
const NUMPY: [number, number][] = [
  [0, 0], [-0, 32768], [1, 15360], [-1, 48128], [65504, 31743], [65519.99, 31743], [65520, 31744],
  [1e10, 31744], [-1e10, 64512], [Infinity, 31744], [-Infinity, 64512], [5.960464477539063e-8, 1],
  [2.980232238769531e-8, 0], [2.980232536792755e-8, 1], [1e-8, 0], [6.097555160522461e-5, 1023],
  [6.103515625e-5, 1024], [0.1, 11878], [0.333333333333, 13653], [1.00048828125, 15360],
  [1.000732421875, 15361], [1.0009765626000977, 15361], [-2.5e-6, 32810],
  // double rounding: float64 -> float16 directly would give 15361; via float32 it is a tie -> even
  [1.0004882812500002, 15360],
];

describe("float16 rounding (float64 -> float32 -> float16)", () => {
  it.each(NUMPY)("rounds %s like numpy/torch", (x, bits) => {
    expect(toFloat16Bits(x)).toBe(bits);
  });

  it("maps NaN to a quiet NaN", () => {
    expect(toFloat16Bits(NaN) & 0x7e00).toBe(0x7e00);
  });

  it("round-trips every finite float16 value and rounds every midpoint to even", () => {
    for (let h = 0; h < 0x10000; h++) {
      const x = float16BitsToNumber(h);
      if (Number.isNaN(x)) continue;
      expect(toFloat16Bits(x)).toBe(h);
      const e = h & 0x7fff;
      if (e < 0x7bff) {
        const next = float16BitsToNumber(h + 1);
        const mid = (x + next) / 2;
        const even = (h & 1) === 0 ? h : h + 1;
        if (toFloat16Bits(mid) !== even) expect.fail(`midpoint above ${h.toString(16)}`);
      }
    }
  });

  it("the kernel's float16 → float32 widening is exact for subnormals, ±0 and infinities", () => {
    for (const scale of [1, 1e-6, 1e-7, 3e-8, 1e4, 1e5]) {
      const bits = rngFromSeed("h32", 1).fillNormalFloat16(new Uint16Array(4096), 0, scale);
      const wide = rngFromSeed("h32", 1).fillNormalFloat16AsFloat32(new Float32Array(4096), 0, scale);
      for (let i = 0; i < bits.length; i++) {
        if (!Object.is(wide[i], float16BitsToNumber(bits[i]))) expect.fail(`scale ${scale}, index ${i}`);
      }
    }
    const classes = rngFromSeed("h32", 1).fillNormalFloat16(new Uint16Array(4096), 0, 1e5);
    expect(classes.some((h) => (h & 0x7fff) === 0x7c00)).toBe(true); // infinities were exercised
    const tiny = rngFromSeed("h32", 1).fillNormalFloat16(new Uint16Array(4096), 0, 3e-8);
    expect(tiny.some((h) => h === 0x8000) && tiny.some((h) => h === 0)).toBe(true); // ±0
  });

  it("converts arrays exactly", () => {
    expect(Array.from(float16ArrayToFloat32(new Uint16Array([0x3c00, 0xc000, 0x0001, 0x7c00])))).toEqual([
      1, -2, 2 ** -24, Infinity,
    ]);
  });
});
