import { describe, expect, it, onTestFinished } from "vitest";
import {
  createCpuBackend, createWebGpuBackend, derivePocShape, layerParameterNames, type PocModelParams, type PocWeightSource,
} from "../../../src/poc/index.js";
import { hasWebGpu, relativeToMax } from "./fixtures.js";

const gpu = await hasWebGpu();

/** Deterministic weights exactly representable in float16 (n / 2^15, |n| ≤ 2048 … scaled). */
function randomWeights(params: PocModelParams, seed: number): PocWeightSource {
  const shape = derivePocShape(params);
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s >>> 8) % 2049) - 1024;
  };
  const cache = new Map<string, Float32Array>();
  const sizes: Record<string, number> = { "norm.weight": shape.dim, "output.weight": shape.vocab * shape.dim };
  for (let i = 0; i < shape.nLayers; i++) {
    const n = layerParameterNames(i);
    const qw = shape.nHeads * shape.headDim, kw = shape.nKvHeads * shape.headDim;
    Object.assign(sizes, {
      [n.wq]: qw * shape.dim, [n.wk]: kw * shape.dim, [n.wv]: kw * shape.dim, [n.wo]: shape.dim * qw,
      [n.w1]: shape.hidden * shape.dim, [n.w2]: shape.dim * shape.hidden, [n.w3]: shape.hidden * shape.dim,
      [n.attentionNorm]: shape.dim, [n.ffnNorm]: shape.dim,
    });
  }
  return {
    get(name) {
      let v = cache.get(name);
      if (!v) {
        const size = sizes[name];
        v = new Float32Array(size);
        const norm = name.endsWith("norm.weight");
        // Norm weights around 1 (so activations do not vanish), matrices around ±0.03.
        for (let i = 0; i < size; i++) v[i] = norm ? 1 + next() / 4096 : next() / 32768;
        cache.set(name, v);
      }
      return v;
    },
  };
}

function randomInputs(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 22695477) + 1) >>> 0;
    out[i] = (((s >>> 10) % 4097) - 2048) / 1024;
  }
  return out;
}

const base: PocModelParams = {
  dim: 48, n_layers: 2, n_heads: 6, n_kv_heads: 2, vocab_size: 37, ffn_dim_multiplier: 1.3, multiple_of: 20,
  norm_eps: 1e-5, rope_theta: 500000, use_scaled_rope: true, seq_len: 7,
};

describe.skipIf(!gpu)("WebGPU kernels agree with the CPU oracle on random weights", () => {
  const cases: [string, PocModelParams, Parameters<typeof createWebGpuBackend>[2]][] = [
    ["GQA, scaled RoPE, odd sizes, f32", base, { precision: "f32" }],
    ["GQA, scaled RoPE, odd sizes, f16", base, { precision: "f16" }],
    ["FFN split in 4 hidden chunks and matrices split in row chunks", base, { precision: "f32", maxFfnChunk: 32, maxBindingBytes: 48 * 4 * 5 }],
    ["k not divisible by 4 (scalar loads), one layer", { ...base, dim: 30, n_heads: 3, n_kv_heads: 3, n_layers: 1, multiple_of: 3 }, { precision: "f16" }],
    ["batch of 3 per submission with 5 nonces", { ...base, n_kv_heads: 6 }, { precision: "f32", batchSize: 3 }],
  ];
  for (const [name, params, options] of cases) {
    it(name, async () => {
      const shape = derivePocShape(params);
      const weights = randomWeights(params, 7);
      const count = 5;
      const inputs = randomInputs(count * shape.seqLen * shape.dim, 11);
      const cpu = createCpuBackend(shape, weights);
      const gpuBackend = await createWebGpuBackend(shape, weights, options);
      onTestFinished(() => gpuBackend.destroy());
      const want = await cpu.forward(inputs, count);
      const got = await gpuBackend.forward(inputs, count);
      expect(got.length).toBe(count * shape.vocab);
      expect(relativeToMax(got, want)).toBeLessThan(2e-5);
      // Not all zeros and not the same row for every nonce.
      expect(relativeToMax(got.subarray(0, shape.vocab), want.subarray(shape.vocab, 2 * shape.vocab))).toBeGreaterThan(1e-2);
      // A second call reuses the plan and gives the same numbers.
      expect(await gpuBackend.forward(inputs, count)).toEqual(got);
    });
  }

  it("caches compiled kernels per shape: a second forward compiles nothing new", async () => {
    const shape = derivePocShape(base);
    const b = await createWebGpuBackend(shape, randomWeights(base, 3), { precision: "f32", batchSize: 2 });
    onTestFinished(() => b.destroy());
    const inputs = randomInputs(2 * shape.seqLen * shape.dim, 5);
    await b.forward(inputs, 2);
    const n = b.pipelineCount;
    await b.forward(inputs, 2);
    expect(b.pipelineCount).toBe(n);
    expect(n).toBeGreaterThan(4);
  });
});
