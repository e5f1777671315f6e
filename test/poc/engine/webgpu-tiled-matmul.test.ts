import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireGpu, type GpuContext } from "../../../src/poc/backends/webgpu/gpu.js";
import { toFloat16Bits } from "../../../src/poc/backends/webgpu/f16.js";
import type { MatmulEpilogue } from "../../../src/poc/backends/webgpu/kernels/matmul.js";
import { createMatmulRunner, type MatmulSpec } from "../../../src/poc/backends/webgpu/matmul-runner.js";
import { resolveTuning, type KernelTuning } from "../../../src/poc/backends/webgpu/plan.js";
import { float16ArrayToFloat32 } from "../../../src/poc/rng/float16.js";
import { hasWebGpu } from "./fixtures.js";

const gpu = await hasWebGpu();

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Arbitrary float32 activations (not float16 numbers) and float16-valued weights, as in the PoC. */
function data(spec: Required<MatmulSpec>, seed: number): { x: Float32Array; w: Float32Array; w3: Float32Array; a: Float32Array; y: Float32Array } {
  const r = lcg(seed);
  const f32 = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
  const f16 = (n: number): Float32Array => float16ArrayToFloat32(toFloat16Bits(f32(n, 0.1)));
  return { x: f32(spec.rows * spec.k, 3), w: f16(spec.out * spec.k), w3: f16(spec.out * spec.k), a: f32(spec.rows * spec.ldy, 2), y: f32(spec.rows * spec.ldy, 2) };
}

/** float64 reference of the kernel over (optionally float16-rounded) activations, and each output's Σ|x·w| scale. */
function reference(spec: Required<MatmulSpec>, d: ReturnType<typeof data>, roundX: boolean): { y: Float64Array; scale: Float64Array } {
  const x = roundX ? float16ArrayToFloat32(toFloat16Bits(d.x)) : d.x;
  const y = Float64Array.from(d.y), scale = new Float64Array(y.length);
  for (let r = 0; r < spec.rows; r++) {
    for (let o = 0; o < spec.out; o++) {
      let c = 0, g = 0, sc = 0, sg = 0;
      for (let i = 0; i < spec.k; i++) {
        const xv = x[r * spec.k + i];
        c += xv * d.w[o * spec.k + i];
        g += xv * d.w3[o * spec.k + i];
        sc += Math.abs(xv * d.w[o * spec.k + i]);
        sg += Math.abs(xv * d.w3[o * spec.k + i]);
      }
      const idx = r * spec.ldy + spec.yCol + o;
      switch (spec.epilogue) {
        case "store": y[idx] = c; scale[idx] = sc; break;
        case "add": y[idx] = d.a[idx] + c; scale[idx] = sc + Math.abs(d.a[idx]); break;
        case "accumulate": y[idx] = d.y[idx] + c; scale[idx] = sc + Math.abs(d.y[idx]); break;
        case "gate": {
          const s = c / (1 + Math.exp(-c));
          y[idx] = s * g;
          // d(silu)/dc ≤ 1.1: the error of c reaches the output scaled by |g|, that of g by |silu(c)|.
          scale[idx] = 1.1 * sc * Math.abs(g) + sg * Math.abs(s) + Math.abs(s * g);
          break;
        }
      }
    }
  }
  return { y, scale };
}

/**
 * Largest error in units of (Σ|x·w| + |addend|) · 2⁻²⁴ — float32 accumulation of k terms stays
 * below ≈ k + 2 of them; untouched cells of `y` (outside the written columns) must be bit-identical.
 */
function ulpsOfScale(spec: Required<MatmulSpec>, got: Float32Array, want: { y: Float64Array; scale: Float64Array }, before: Float32Array): number {
  let worst = 0;
  for (let r = 0; r < spec.rows; r++) {
    for (let c = 0; c < spec.ldy; c++) {
      const idx = r * spec.ldy + c;
      if (c < spec.yCol || c >= spec.yCol + spec.out) {
        if (got[idx] !== before[idx]) return Infinity;
        continue;
      }
      const err = Math.abs(got[idx] - want.y[idx]) / ((want.scale[idx] + 1e-30) * 2 ** -24);
      if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
    }
  }
  return worst;
}

const EPILOGUES: MatmulEpilogue[] = ["store", "add", "accumulate", "gate"];
/** Sizes that are not multiples of any tile: k % 4 ≠ 0 (scalar loads), ≤ 16 rows (the last layer's blocks), several blocks. */
const SIZES: [string, number, number, number][] = [
  ["37×30 · 45×30 (k % 4 = 2)", 37, 30, 45],
  ["5×52 · 70×52 (≤ 16 rows)", 5, 52, 70],
  ["133×68 · 130×68 (several 128×128 blocks)", 133, 68, 130],
  ["19×7 · 9×7 (k < tileK, k % 4 = 3)", 19, 7, 9],
];
/**
 * Every size × epilogue × weight type with small odd tiles whose staging loops need guards (8×24
 * blocks, 32 invocations, k 12 per step): lavapipe compiles those in a fraction of a second, while
 * each pipeline of the default shapes takes seconds there, so those get a few combinations each.
 */
const ODD_TILES: KernelTuning = { kernel: "tiled", tileRows: 2, tileCols: 3, workgroup: [8, 4], tileK: 12 };
const HARDWARE_TILES: KernelTuning = { kernel: "tiled", tileRows: 8, tileCols: 8, workgroup: [16, 16], tileK: 8 };

describe.skipIf(!gpu)("tiled matmul kernel against a float64 reference", () => {
  let ctx: GpuContext;
  beforeAll(async () => { ctx = await acquireGpu({ wantF16: true }); });
  afterAll(() => ctx?.release());

  const check = async (tuning: KernelTuning, rows: number, k: number, out: number, epilogue: MatmulEpilogue, weights: "f32" | "f16"): Promise<void> => {
    const spec = { rows, k, out, epilogue, weights, ldy: out + 5, yCol: 3 };
    const d = data(spec, rows * 131 + k * 7 + out);
    const runner = await createMatmulRunner(ctx, resolveTuning(ctx, tuning), spec);
    try {
      const got = await runner.run(d);
      expect(ulpsOfScale(spec, got, reference(spec, d, false), d.y), `${epilogue} ${weights}`).toBeLessThan(k + 8);
    } finally {
      runner.destroy();
    }
  };

  // Each size runs every epilogue; the weight type alternates so that each epilogue meets both across sizes.
  SIZES.forEach(([sname, rows, k, out], si) => {
    it(`odd tiles, ${sname}: every epilogue, within float32 accumulation error; y outside the columns untouched`, async () => {
      for (const [ei, epilogue] of EPILOGUES.entries()) await check(ODD_TILES, rows, k, out, epilogue, (ei + si) % 2 ? "f16" : "f32");
    });
  });

  it("the adapter's default tiles: vec4 and scalar loads, ≤ 16 rows, store / add / accumulate / gate", async () => {
    await check({ kernel: "tiled" }, 133, 68, 130, "store", "f32");
    await check({ kernel: "tiled" }, 133, 68, 130, "gate", "f16");
    await check({ kernel: "tiled" }, 37, 30, 45, "accumulate", "f16");
    await check({ kernel: "tiled" }, 5, 52, 70, "add", "f32");
  });

  it("hardware tiles (8×8 in 16×16, k 8): the gate with f16 weights over several 128×128 blocks", async () => {
    await check(HARDWARE_TILES, 133, 68, 130, "gate", "f16");
  });

  it("float16 activations: equal to the float64 product of float16-rounded (nearest-even) activations, and not to the unrounded one", async () => {
    for (const [, rows, k, out] of SIZES.slice(0, 2)) {
      for (const epilogue of ["store", "gate"] as const) {
        const spec = { rows, k, out, epilogue, weights: "f16" as const, ldy: out, yCol: 0 };
        const d = data(spec, rows + k + out);
        const runner = await createMatmulRunner(ctx, resolveTuning(ctx, { ...ODD_TILES, activations: "f16" }), spec);
        try {
          const got = await runner.run(d);
          expect(ulpsOfScale(spec, got, reference(spec, d, true), d.y), epilogue).toBeLessThan(k + 8);
          // Rounding x to float16 moves the products by up to 2⁻¹¹ relative: far outside float32 rounding.
          expect(ulpsOfScale(spec, got, reference(spec, d, false), d.y), epilogue).toBeGreaterThan(200);
        } finally {
          runner.destroy();
        }
      }
    }
  });

  it("matches the register-blocked kernel to the bit where both take vec4 loads in the same order (k % 4 = 0, f32 weights)", async () => {
    const spec = { rows: 40, k: 64, out: 36, epilogue: "store" as const, weights: "f32" as const, ldy: 36, yCol: 0 };
    const d = data(spec, 5);
    const outs: Float32Array[] = [];
    for (const kernel of ["register", "tiled"] as const) {
      const runner = await createMatmulRunner(ctx, resolveTuning(ctx, { kernel }), spec);
      outs.push(await runner.run(d));
      runner.destroy();
    }
    expect(outs[1]).toEqual(outs[0]);
  });
});
