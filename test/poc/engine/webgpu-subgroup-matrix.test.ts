import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors.js";
import { GpuFeatureUnavailableError } from "../../../src/poc/backends/webgpu/errors.js";
import { toFloat16Bits } from "../../../src/poc/backends/webgpu/f16.js";
import {
  acquireGpu, DAWN_SUBGROUP_MATRIX_TOGGLES, pickSubgroupMatrixConfig, readSubgroupMatrixConfigs, SUBGROUP_MATRIX_FEATURE,
  type GpuContext, type SubgroupMatrixConfig,
} from "../../../src/poc/backends/webgpu/gpu.js";
import { matmulSubgroupWgsl, type SubgroupMatmulVariant } from "../../../src/poc/backends/webgpu/kernels/matmul-subgroup.js";
import { defaultTuning, matmulKernel, resolveTuning, type KernelContext } from "../../../src/poc/backends/webgpu/plan.js";
import { createPocEngine, createWebGpuBackend, derivePocShape, initWeights, probeWebGpu, WebGpuUnavailableError } from "../../../src/poc/index.js";
import { float16ArrayToFloat32 } from "../../../src/poc/rng/float16.js";
import { fixture, hasWebGpu } from "./fixtures.js";

const gpu = await hasWebGpu();
const F16_F32 = (M: number, N: number, K: number): SubgroupMatrixConfig => ({ componentType: "f16", resultComponentType: "f32", M, N, K });

/** A Dawn-like config object: fields as getters on the prototype (spread and JSON.stringify see nothing). */
function dawnConfig(c: SubgroupMatrixConfig): object {
  class Config {
    get componentType(): string { return c.componentType; }
    get resultComponentType(): string { return c.resultComponentType; }
    get M(): number { return c.M; }
    get N(): number { return c.N; }
    get K(): number { return c.K; }
  }
  return new Config();
}

/** What H200 + Dawn with DAWN_SUBGROUP_MATRIX_TOGGLES advertised (docs: f16→f16 and f16→f32 at 16×16×16, 16×8×16, 16×8×8, plus int8). */
const NVIDIA_CONFIGS: SubgroupMatrixConfig[] = [
  { componentType: "i8", resultComponentType: "i32", M: 16, N: 16, K: 32 },
  { componentType: "f16", resultComponentType: "f16", M: 16, N: 16, K: 16 },
  F16_F32(16, 8, 8), F16_F32(16, 8, 16), F16_F32(16, 16, 16),
];

describe("subgroup-matrix: configuration and kernel selection (no adapter needed)", () => {
  it("reads Dawn's getter-only config objects and picks the largest f16×f16→f32 configuration", () => {
    const configs = readSubgroupMatrixConfigs({ subgroupMatrixConfigs: NVIDIA_CONFIGS.map(dawnConfig) });
    expect(configs).toEqual(NVIDIA_CONFIGS);
    expect(pickSubgroupMatrixConfig(configs)).toEqual(F16_F32(16, 16, 16));
    expect(pickSubgroupMatrixConfig([F16_F32(8, 8, 8)])).toEqual(F16_F32(8, 8, 8));
    // int8-only (allow_unsafe_apis without the f16 toggle) or f16 results only: nothing usable.
    expect(pickSubgroupMatrixConfig(NVIDIA_CONFIGS.slice(0, 2))).toBeNull();
    expect(readSubgroupMatrixConfigs({})).toEqual([]);
  });

  const hw: KernelContext = { isSoftware: false, hasF16: true, subgroupMatrix: F16_F32(16, 16, 16), subgroupMaxSize: 32 };

  it("is never the default: software adapters get the register kernel, hardware the tiled one, even with the feature", () => {
    expect(resolveTuning({ ...hw, isSoftware: true }).kernel).toBe("register");
    expect(resolveTuning(hw).kernel).toBe("tiled");
    expect(resolveTuning(hw).activations).toBe("f32");
    expect(defaultTuning(hw).workgroup).toEqual([16, 16]);
    const t = resolveTuning(hw, { kernel: "subgroup-matrix" });
    expect(t).toMatchObject({ kernel: "subgroup-matrix", activations: "f16", tileRows: 4, tileCols: 2, tileK: 32 });
  });

  it("forced without the feature (or without shader-f16): GpuFeatureUnavailableError naming the Dawn toggles", () => {
    for (const ctx of [{ ...hw, subgroupMatrix: null }, { ...hw, hasF16: false }]) {
      let err: unknown;
      try { resolveTuning(ctx, { kernel: "subgroup-matrix" }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(GpuFeatureUnavailableError);
      expect((err as GpuFeatureUnavailableError).feature).toBe(SUBGROUP_MATRIX_FEATURE);
      expect((err as Error).message).toContain("dawnToggles");
      expect((err as Error).message).toContain(DAWN_SUBGROUP_MATRIX_TOGGLES.join('", "'));
    }
  });

  it("rejects malformed tunings with InvalidArgumentError", () => {
    expect(() => resolveTuning(hw, { kernel: "cuda" as never })).toThrow(InvalidArgumentError);
    expect(() => resolveTuning(hw, { kernel: "subgroup-matrix", activations: "f32" })).toThrow(/float16 activations/);
    expect(() => resolveTuning(hw, { kernel: "subgroup-matrix", tileK: 24 })).toThrow(/multiple of 4 and of the subgroup-matrix K \(16\)/);
    expect(() => resolveTuning(hw, { kernel: "register", activations: "f16" })).toThrow(/tiled and subgroup-matrix/);
    expect(() => resolveTuning(hw, { kernel: "tiled", tileK: 6 })).toThrow(/multiple of 4/);
    expect(() => resolveTuning(hw, { tileRows: 0 })).toThrow(/tileRows/);
  });

  it("the plan's matmul on the subgroup-matrix kernel: WGSL for the adapter's configuration, one subgroup per workgroup, its grid", () => {
    const ctx = { ...hw, subgroupMatrix: F16_F32(16, 8, 16), maxWorkgroupStorage: 16384, maxWorkgroupInvocations: 256 };
    const k = matmulKernel(ctx, resolveTuning(ctx, { kernel: "subgroup-matrix" }), "f16", 4096, 1024, "gate");
    expect(k.code).toMatch(/^enable f16;\nenable subgroups;\nenable chromium_experimental_subgroup_matrix;/);
    expect(k.code).toContain("@compute @workgroup_size(32)");
    expect(k.code).toContain("subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>, row_major>(&xs, ");
    expect(k.code).toContain("subgroupMatrixLoad<subgroup_matrix_right<f16, 8, 16>, col_major>(&ws, ");
    expect(k.code).toContain("subgroupMatrixLoad<subgroup_matrix_right<f16, 8, 16>, col_major>(&us, ");
    expect(k.code).toContain("var c3_1: subgroup_matrix_result<f32, 8, 16>;");
    expect(k.code).toContain("subgroupMatrixStore<row_major>(&cs, 0u, c3_1, 8u);");
    // The deprecated form took a boolean column-major argument.
    expect(k.code).not.toMatch(/subgroupMatrix(Load|Store)\([^)]*(true|false)/);
    // 4×2 result matrices of 16×8: 64×16 outputs per workgroup.
    expect(k.groups(1000)).toEqual([Math.ceil(1000 / 16), 4096 / 64]);
    expect(k.kv).toBe(256);
    // ≤ 16 rows: one matrix row, 4 along the columns.
    expect(matmulKernel(ctx, resolveTuning(ctx, { kernel: "subgroup-matrix" }), "f16", 8, 1024, "store").groups(1000)).toEqual([Math.ceil(1000 / 32), 1]);
    // Too much shared memory for the device: a GpuError saying what to lower.
    expect(() => matmulKernel({ ...ctx, maxWorkgroupStorage: 4096 }, resolveTuning(ctx, { kernel: "subgroup-matrix" }), "f16", 64, 64, "gate")).toThrow(/workgroup memory/);
  });

  it("acquireGpu asks for the feature (with subgroups and shader-f16) only when the subgroup-matrix kernel is wanted", async () => {
    const seen: string[][] = [];
    const adapter = {
      info: { vendor: "nvidia", architecture: "hopper", description: "fake", subgroupMaxSize: 32, subgroupMatrixConfigs: NVIDIA_CONFIGS.map(dawnConfig) },
      features: new Set(["shader-f16", "subgroups", SUBGROUP_MATRIX_FEATURE]),
      limits: { maxStorageBufferBindingSize: 1 << 30, maxBufferSize: 1 << 30, maxStorageBuffersPerShaderStage: 8, maxComputeWorkgroupsPerDimension: 65535, maxComputeWorkgroupStorageSize: 49152, maxComputeInvocationsPerWorkgroup: 1024, maxComputeWorkgroupSizeX: 1024, maxComputeWorkgroupSizeY: 1024 },
      requestDevice(d: GPUDeviceDescriptor) {
        seen.push([...(d.requiredFeatures ?? [])].map(String));
        return Promise.reject(new Error("fake adapter: no device"));
      },
    };
    const fake = { requestAdapter: () => Promise.resolve(adapter) } as unknown as GPU;
    await expect(acquireGpu({ wantF16: false, wantSubgroupMatrix: true, gpu: fake })).rejects.toThrow(WebGpuUnavailableError);
    await expect(acquireGpu({ wantF16: true, gpu: fake })).rejects.toThrow(WebGpuUnavailableError);
    expect(seen).toEqual([["shader-f16", "subgroups", SUBGROUP_MATRIX_FEATURE], ["shader-f16"]]);
  });
});

/**
 * The subgroup-matrix kernel cannot run here (no adapter offers the feature), but everything
 * around the matrix builtins can: this rewrites the generated WGSL so that each invocation holds
 * whole matrices in arrays, with load/store addressing as Dawn's documentation defines it
 * (row-major: element [r][c] at offset + stride·r + c; column-major: offset + stride·c + r),
 * and runs it on lavapipe — staging, float16 rounding, tile offsets, strides, grid, bounds and
 * epilogues are then checked against a float64 reference.
 */
function emulateSubgroupMatrices(code: string, c: { M: number; N: number; K: number }): string {
  const fns = new Map<string, string>();
  let out = code.replace("enable subgroups;\n", "").replace("enable chromium_experimental_subgroup_matrix;\n", "");
  const dims = (kind: string, a: number, b: number): [number, number] =>
    // left<T, K, M>: M×K; right<T, N, K>: K×N; result<T, N, M>: M×N (rows, columns)
    kind === "left" ? [b, a] : kind === "right" ? [b, a] : [b, a];
  out = out.replace(/subgroupMatrixLoad<subgroup_matrix_(left|right)<f16, (\d+), (\d+)>, (row_major|col_major)>\(&(\w+), /g, (_m, kind: string, a: string, b: string, major: string, arr: string) => {
    const [R, C] = dims(kind, Number(a), Number(b));
    const name = `emuLoad_${arr}_${kind}_${major}`;
    const at = major === "row_major" ? "off + stride * r + col" : "off + stride * col + r";
    fns.set(name, `fn ${name}(off: u32, stride: u32) -> array<f32, ${R * C}> {\n  var m: array<f32, ${R * C}>;\n  for (var r = 0u; r < ${R}u; r++) { for (var col = 0u; col < ${C}u; col++) { m[r * ${C}u + col] = f32(${arr}[${at}]); } }\n  return m;\n}`);
    return `${name}(`;
  });
  out = out.replace(/subgroupMatrixStore<row_major>\(&(\w+), /g, (_m, arr: string) => {
    const name = `emuStore_${arr}`;
    fns.set(name, `fn ${name}(off: u32, v: array<f32, ${c.M * c.N}>, stride: u32) {\n  for (var r = 0u; r < ${c.M}u; r++) { for (var col = 0u; col < ${c.N}u; col++) { ${arr}[off + stride * r + col] = v[r * ${c.N}u + col]; } }\n}`);
    return `${name}(`;
  });
  out = out.replace(/subgroupMatrixMultiplyAccumulate\(/g, "emuMma(");
  fns.set("emuMma", `fn emuMma(l: array<f32, ${c.M * c.K}>, r: array<f32, ${c.K * c.N}>, acc: array<f32, ${c.M * c.N}>) -> array<f32, ${c.M * c.N}> {\n  var o = acc;\n  for (var m = 0u; m < ${c.M}u; m++) { for (var n = 0u; n < ${c.N}u; n++) { var s = o[m * ${c.N}u + n]; for (var k = 0u; k < ${c.K}u; k++) { s += l[m * ${c.K}u + k] * r[k * ${c.N}u + n]; } o[m * ${c.N}u + n] = s; } }\n  return o;\n}`);
  out = out.replace(/subgroup_matrix_result<f32, (\d+), (\d+)>/g, (_m, n: string, m: string) => `array<f32, ${Number(n) * Number(m)}>`);
  if (/subgroup_matrix|subgroupMatrix/.test(out)) throw new Error("emulation left a subgroup-matrix construct");
  // Module-scope functions may come anywhere in WGSL: append them.
  return `${out}\n${[...fns.values()].join("\n")}\n`;
}

describe.skipIf(!gpu)("subgroup-matrix kernel, builtins emulated, on this adapter", () => {
  let ctx: GpuContext;
  beforeAll(async () => { ctx = await acquireGpu({ wantF16: true }); });
  afterAll(() => ctx?.release());

  const run = async (v: SubgroupMatmulVariant, rows: number, k: number, out: number, seed: number): Promise<{ got: Float32Array; want: Float64Array; scale: Float64Array }> => {
    let s = seed;
    const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
    const x = Float32Array.from({ length: rows * k }, () => rnd() * 3);
    const f16 = (n: number): Float32Array => float16ArrayToFloat32(toFloat16Bits(Float32Array.from({ length: n }, () => rnd() * 0.1)));
    const w = f16(out * k), w3 = f16(out * k), a = Float32Array.from({ length: rows * out }, () => rnd());
    const xr = float16ArrayToFloat32(toFloat16Bits(x));
    const want = new Float64Array(rows * out), scale = new Float64Array(rows * out);
    for (let r = 0; r < rows; r++) for (let o = 0; o < out; o++) {
      let c = 0, g = 0, sc = 0;
      for (let i = 0; i < k; i++) { c += xr[r * k + i] * w[o * k + i]; g += xr[r * k + i] * w3[o * k + i]; sc += Math.abs(xr[r * k + i] * w[o * k + i]) + Math.abs(xr[r * k + i] * w3[o * k + i]); }
      const idx = r * out + o, si = c / (1 + Math.exp(-c));
      want[idx] = v.epilogue === "store" ? c : v.epilogue === "add" ? a[idx] + c : v.epilogue === "accumulate" ? a[idx] + c : si * g;
      scale[idx] = v.epilogue === "gate" ? sc * (1.1 * Math.abs(g) + Math.abs(si)) + Math.abs(si * g) : sc + Math.abs(a[idx]);
    }
    const d = ctx.device;
    const buf = (data: ArrayBufferView, usage = 0x80 | 0x8 | 0x4): GPUBuffer => {
      const b = d.createBuffer({ size: Math.ceil(data.byteLength / 4) * 4, usage, mappedAtCreation: true });
      new Uint8Array(b.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      b.unmap();
      return b;
    };
    const vec = k % 4 === 0 ? 4 : 1;
    const uni = buf(new Uint32Array([rows, k / vec, out, out, 0, 0, 0, 0]), 0x40 | 0x8);
    const wb = (m: Float32Array): GPUBuffer => buf(v.weights === "f16" ? toFloat16Bits(m) : m);
    const Y = buf(v.epilogue === "accumulate" ? a : new Float32Array(rows * out));
    const bind = [uni, buf(x), wb(w), Y, ...(v.epilogue === "add" ? [buf(a)] : v.epilogue === "gate" ? [wb(w3)] : [])];
    d.pushErrorScope("validation");
    const module = d.createShaderModule({ code: emulateSubgroupMatrices(matmulSubgroupWgsl({ ...v, vec }), v.config) });
    const pipeline = d.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
    const err = await d.popErrorScope();
    if (err) throw new Error(err.message);
    const staging = d.createBuffer({ size: Y.size, usage: 0x1 | 0x8 });
    const enc = d.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, d.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: bind.map((buffer, binding) => ({ binding, resource: { buffer } })) }));
    pass.dispatchWorkgroups(Math.ceil(out / (v.tileCols * v.config.N)), Math.ceil(rows / (v.tileRows * v.config.M)));
    pass.end();
    enc.copyBufferToBuffer(Y, 0, staging, 0, Y.size);
    d.queue.submit([enc.finish()]);
    await staging.mapAsync(0x1);
    const got = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    for (const b of [...bind, staging]) b.destroy();
    return { got, want, scale };
  };

  // Small matrix shapes (4×4×4, 2×4×4): the emulated matrices are per-invocation arrays that
  // lavapipe compiles slowly at Dawn's 16×16×16; the kernel's addressing does not depend on them.
  const cases: [string, Omit<SubgroupMatmulVariant, "vec">, number, number, number][] = [
    ["4×4×4, 2×3 matrices, gate, f16 weights, k % 4 = 2", { weights: "f16", epilogue: "gate", config: { M: 4, N: 4, K: 4 }, subgroupSize: 8, tileRows: 2, tileCols: 3, tileK: 8 }, 11, 18, 29],
    ["2×4×4 (M ≠ N), 3×2 matrices, add, f32 weights", { weights: "f32", epilogue: "add", config: { M: 2, N: 4, K: 4 }, subgroupSize: 8, tileRows: 3, tileCols: 2, tileK: 8 }, 37, 40, 19],
    ["4×4×4, 1×2 matrices, accumulate, f16 weights, k % 4 = 3", { weights: "f16", epilogue: "accumulate", config: { M: 4, N: 4, K: 4 }, subgroupSize: 8, tileRows: 1, tileCols: 2, tileK: 4 }, 9, 11, 30],
  ];
  for (const [name, v, rows, k, out] of cases) {
    it(`${name}: ${rows}×${k} · ${out}×${k}ᵀ equals the float64 product of float16-rounded activations`, async () => {
      const { got, want, scale } = await run(v as SubgroupMatmulVariant, rows, k, out, rows + k + out);
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / ((scale[i] + 1e-30) * 2 ** -24));
      expect(worst).toBeLessThan(k + 8);
    });
  }
});

describe.skipIf(!gpu)("subgroup-matrix kernel forced on an adapter without the feature", () => {
  const tiny = fixture.cases[0];
  it("createWebGpuBackend and createPocEngine reject it with GpuFeatureUnavailableError (no silent fallback to another kernel)", async () => {
    const probe = await probeWebGpu();
    if (probe.subgroupMatrixConfigs?.length) return; // an adapter with the feature: nothing to refuse
    const shape = derivePocShape(tiny.params);
    await expect(createWebGpuBackend(shape, initWeights(tiny.params, tiny.blockHash), { tuning: { kernel: "subgroup-matrix" } })).rejects.toThrow(GpuFeatureUnavailableError);
    await expect(createPocEngine({
      params: tiny.params, blockHash: tiny.blockHash, publicKey: tiny.publicKey, backend: "webgpu",
      webgpu: { tuning: { kernel: "subgroup-matrix" }, dawnToggles: DAWN_SUBGROUP_MATRIX_TOGGLES },
    })).rejects.toThrow(/lacks "chromium-experimental-subgroup-matrix"/);
  });

  it("dawnToggles: a separate Dawn instance with the toggles; malformed names are an InvalidArgumentError", async () => {
    const probe = await probeWebGpu({ dawnToggles: ["allow_unsafe_apis"] });
    expect(probe.available).toBe(true);
    await expect(acquireGpu({ wantF16: false, dawnToggles: ["allow_unsafe_apis, disable_robustness"] })).rejects.toThrow(InvalidArgumentError);
  });
});
