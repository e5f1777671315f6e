import { describe, expect, it, onTestFinished } from "vitest";
import {
  createCpuBackend, createPocEngine, createWebGpuBackend, derivePocShape, initWeights, type PocModelParams, type WebGpuBackend,
} from "../../../src/poc/index.js";
import { fixture, hasWebGpu, relativeToMax } from "./fixtures.js";

const gpu = await hasWebGpu();

describe.skipIf(!gpu)("WebGPU backend with the tiled matmul kernel forced reproduces poc.json", () => {
  for (const precision of ["f32", "f16"] as const) {
    for (const c of fixture.cases) {
      // float16 weights run the same kernels with another load type: on `small` (≈1 nonce/s on a busy lavapipe) a spread of its nonces.
      const idx = precision === "f16" && c.name === "small" ? [0, 1, 12, 13] : c.nonces.map((_, i) => i);
      it(`${precision} weights, ${c.name}: ${idx.length === c.nonces.length ? "every distance" : `nonces ${idx.join(", ")}`} within 1e-6, nonce-0 logits within 1e-4`, async () => {
        const engine = await createPocEngine({
          params: c.params, blockHash: c.blockHash, publicKey: c.publicKey, backend: "webgpu", precision,
          webgpu: { tuning: { kernel: "tiled" } },
        });
        onTestFinished(() => engine.destroy());
        const backend = engine.backend as WebGpuBackend;
        expect(backend.tuning.kernel).toBe("tiled");
        expect(backend.tuning.activations).toBe("f32");
        expect(backend.description).toContain("tiled matmul");
        const dist = await engine.distances(idx.map((i) => c.nonces[i]));
        idx.forEach((i, j) => expect(Math.abs(dist[j] - c.distances[i])).toBeLessThan(1e-6));
        const lg = await engine.logits([c.nonces[0]]);
        expect(relativeToMax(lg.subarray(0, 16), c.logits_nonce0_first)).toBeLessThan(1e-4);
      });
    }
  }
});

describe.skipIf(!gpu)("tiled matmul kernel with float16 activations (what the subgroup-matrix path computes)", () => {
  for (const c of fixture.cases.filter((x) => x.name !== "small")) {
    it(`${c.name}: distances move off the vectors (activations really rounded) but stay within 1e-4`, async () => {
      const engine = await createPocEngine({
        params: c.params, blockHash: c.blockHash, publicKey: c.publicKey, backend: "webgpu", precision: "f16",
        webgpu: { tuning: { kernel: "tiled", activations: "f16" } },
      });
      onTestFinished(() => engine.destroy());
      expect((engine.backend as WebGpuBackend).tuning.activations).toBe("f16");
      expect(engine.backend.description).toContain("f16 activations");
      const dist = await engine.distances(c.nonces);
      const err = c.nonces.map((_, i) => Math.abs(dist[i] - c.distances[i]));
      // float32 paths stay below 1e-7 here; float16 activations (2⁻¹¹ relative per value) move distances by ~1e-5.
      expect(Math.max(...err)).toBeGreaterThan(1e-6);
      expect(Math.max(...err)).toBeLessThan(1e-4);
    });
  }
});

describe.skipIf(!gpu)("tiled matmul kernel inside the plan's splits", () => {
  it("FFN in 4 hidden chunks and matrices in row chunks (ldy / yCol offsets), k % 4 ≠ 0: logits equal the CPU backend's", async () => {
    const params: PocModelParams = {
      dim: 30, n_layers: 2, n_heads: 3, n_kv_heads: 1, vocab_size: 37, ffn_dim_multiplier: 1.3, multiple_of: 20,
      norm_eps: 1e-5, rope_theta: 500000, use_scaled_rope: true, seq_len: 7,
    };
    const shape = derivePocShape(params);
    const weights = initWeights(params, "tiled-splits");
    const inputs = Float32Array.from({ length: 3 * shape.seqLen * shape.dim }, (_, i) => Math.sin(i * 0.37) * 2);
    const gpuBackend = await createWebGpuBackend(shape, weights, {
      precision: "f32", maxFfnChunk: 16, maxBindingBytes: 30 * 4 * 5, tuning: { kernel: "tiled", tileRows: 2, tileCols: 3, workgroup: [8, 4], tileK: 12 },
    });
    onTestFinished(() => gpuBackend.destroy());
    const want = await createCpuBackend(shape, weights).forward(inputs, 3);
    const got = await gpuBackend.forward(inputs, 3);
    expect(relativeToMax(got, want)).toBeLessThan(2e-5);
    expect(relativeToMax(got.subarray(0, shape.vocab), want.subarray(shape.vocab, 2 * shape.vocab))).toBeGreaterThan(1e-2);
  });
});
