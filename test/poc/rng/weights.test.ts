import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  POC_PARAMS_TESTNET,
  POC_PARAMS_V1,
  POC_PARAMS_V2,
  fillFromPool,
  ffnHiddenDim,
  initWeights,
  parameterLayout,
  pocParamsFromWire,
  pocParamsToWire,
  poolSize,
  totalParams,
  weightPlacement,
} from "../../../src/poc/model/index.js";
import { InvalidArgumentError } from "../../../src/errors.js";
import { float16BitsToNumber } from "../../../src/poc/rng/index.js";
import { fixture, sha256Hex, type PocVectors } from "./fixtures.js";

const v = fixture<PocVectors>("poc.json");

describe.each(v.cases.map((c) => [c.name, c] as const))("model weights of case %s", (_name, c) => {
  const params = pocParamsFromWire(c.params);

  it("lays parameters out in registration order with the vector's shapes and sizes", () => {
    const layout = parameterLayout(params);
    expect(layout.map((p) => [p.name, p.shape])).toEqual(c.parameters.map((p) => [p.name, p.shape]));
    expect(totalParams(params)).toBe(c.totalParams);
    expect(poolSize(params)).toBe(c.poolSize);
  });

  it("initialises every parameter's float16 values exactly (sha256 per parameter)", () => {
    const w = initWeights(params, c.blockHash);
    expect(w.pool.length).toBe(c.poolSize);
    for (const p of c.parameters) expect(sha256Hex(w.values(p.name)), p.name).toBe(p.sha256_f16le);
    // fill() agrees with values()
    const last = c.parameters[c.parameters.length - 1];
    const buf = new Uint16Array(w.parameter(last.name).numel + 3);
    expect(sha256Hex(w.fill(last.name, buf))).toBe(last.sha256_f16le);
    // get() widens exactly to float32, and snake_case params give the same weights
    const f32 = w.get(last.name);
    expect(f32[0]).toBe(float16BitsToNumber(w.values(last.name)[0]));
    const snake = initWeights(c.params, c.blockHash);
    expect(sha256Hex(snake.values(last.name))).toBe(last.sha256_f16le);
  });
});

describe("pool placement", () => {
  it("covers the tiled case in the vectors (gqa-scaled-rope has parameters larger than the pool)", () => {
    const c = v.cases.find((x) => x.name === "gqa-scaled-rope")!;
    const w = initWeights(pocParamsFromWire(c.params), c.blockHash);
    expect(w.parameters.some((p) => p.placement.kind === "tiled")).toBe(true);
    expect(w.parameters.some((p) => p.placement.kind === "slice")).toBe(true);
  });

  it("tiles and rotates like numpy's concatenate(tile, head) then roll-left", () => {
    const pool = Uint16Array.from({ length: 7 }, (_, i) => 100 + i);
    for (const [numel, shift] of [[7, 0], [10, 3], [23, 22], [15, 14], [21, 5]]) {
      const base: number[] = [];
      for (let t = 0; t < Math.floor(numel / 7); t++) base.push(...pool);
      base.push(...pool.subarray(0, numel % 7));
      const expected = [...base.slice(shift), ...base.slice(0, shift)];
      expect(Array.from(fillFromPool(pool, numel, { kind: "tiled", shift }, new Uint16Array(numel)))).toEqual(expected);
    }
  });

  it("derives placement from the first 8 hex digits of sha256(blockHash_name)", () => {
    const h = parseInt(createHash("sha256").update("H_norm.weight").digest("hex").slice(0, 8), 16);
    expect(weightPlacement("H", "norm.weight", 10, 1000)).toEqual({ kind: "slice", start: h % 991 });
    expect(weightPlacement("H", "norm.weight", 1001, 1000)).toEqual({ kind: "tiled", shift: h % 1001 });
  });
});

describe("presets and sizes", () => {
  it("V2 (mainnet) has hidden 49152, 17.76 billion parameters and an 888 million pool", () => {
    expect(ffnHiddenDim(POC_PARAMS_V2)).toBe(49152);
    const total = totalParams(POC_PARAMS_V2);
    expect(total).toBe(8196 * 1792 * 2 + 64 * (4 * 1792 * 1792 + 3 * 49152 * 1792 + 2 * 1792) + 1792);
    expect(total).toBe(17_763_122_944);
    expect(poolSize(POC_PARAMS_V2)).toBe(888_156_147);
    expect(parameterLayout(POC_PARAMS_V2)).toHaveLength(2 + 64 * 9 + 1);
  });

  it("has valid V1 and testnet presets and converts wire params both ways", () => {
    for (const p of [POC_PARAMS_V1, POC_PARAMS_TESTNET, POC_PARAMS_V2]) {
      expect(pocParamsFromWire(pocParamsToWire(p))).toEqual(p);
    }
    expect(ffnHiddenDim(POC_PARAMS_TESTNET)).toBe(28672);
  });

  it("rejects invalid params with typed errors", () => {
    expect(() => parameterLayout({ ...POC_PARAMS_V2, dim: 0 })).toThrow(InvalidArgumentError);
    expect(() => parameterLayout({ ...POC_PARAMS_V2, nHeads: 7 })).toThrow(InvalidArgumentError);
    expect(() => parameterLayout({ ...POC_PARAMS_V2, nKvHeads: 3 })).toThrow(InvalidArgumentError);
    expect(() => initWeights(POC_PARAMS_V2, 5 as unknown as string)).toThrow(InvalidArgumentError);
    const w = initWeights(pocParamsFromWire(v.cases[0].params), "x");
    expect(() => w.values("nope")).toThrow(InvalidArgumentError);
  });
});
