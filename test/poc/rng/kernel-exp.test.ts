import { describe, expect, it } from "vitest";
import { kernel } from "../../../src/poc/rng/kernel.js";

describe("the kernel's exp bound for the wedge test", () => {
  it("is within 1e-13 relative of Math.exp on [-7, 0] (the margin used is 1e-9)", () => {
    const k = kernel();
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const v = -7 * (i / 200_000);
      const rel = Math.abs(k.exp_approx(v) / Math.exp(v) - 1);
      if (rel > worst) worst = rel;
    }
    expect(worst).toBeLessThan(1e-13);
    expect(k.exp_approx(0)).toBe(1);
  });
});
