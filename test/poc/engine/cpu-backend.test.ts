import { describe, expect, it, onTestFinished } from "vitest";
import { InvalidArgumentError } from "../../../src/errors.js";
import {
  createCpuBackend, createPocEngine, createReferenceCpuBackend, defaultCpuThreads, derivePocShape,
  layerParameterNames, type PocModelParams, type PocWeightSource,
} from "../../../src/poc/index.js";
import { fixture, pocCase, relativeToMax } from "./fixtures.js";

/** Deterministic weights exactly representable in float16, matrices around ±0.03, norms around 1. */
function randomWeights(params: PocModelParams, seed: number): PocWeightSource {
  const shape = derivePocShape(params);
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s >>> 8) % 2049) - 1024;
  };
  const qw = shape.nHeads * shape.headDim, kw = shape.nKvHeads * shape.headDim;
  const sizes: Record<string, number> = { "norm.weight": shape.dim, "output.weight": shape.vocab * shape.dim };
  for (let i = 0; i < shape.nLayers; i++) {
    const n = layerParameterNames(i);
    Object.assign(sizes, {
      [n.wq]: qw * shape.dim, [n.wk]: kw * shape.dim, [n.wv]: kw * shape.dim, [n.wo]: shape.dim * qw,
      [n.w1]: shape.hidden * shape.dim, [n.w2]: shape.dim * shape.hidden, [n.w3]: shape.hidden * shape.dim,
      [n.attentionNorm]: shape.dim, [n.ffnNorm]: shape.dim,
    });
  }
  const cache = new Map<string, Float32Array>();
  return {
    get(name) {
      let v = cache.get(name);
      if (!v) {
        v = new Float32Array(sizes[name]);
        const norm = name.endsWith("norm.weight");
        for (let i = 0; i < v.length; i++) v[i] = norm ? 1 + next() / 4096 : next() / 32768;
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

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length), y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.every((v, i) => v === y[i]);
}

// Three kv heads (so up to three shards), scaled RoPE, sizes that leave partial panels and row blocks.
const odd: PocModelParams = {
  dim: 72, n_layers: 2, n_heads: 6, n_kv_heads: 3, vocab_size: 37, ffn_dim_multiplier: 1.3, multiple_of: 20,
  norm_eps: 1e-5, rope_theta: 500000, use_scaled_rope: true, seq_len: 7,
};

describe("CPU backend (WebAssembly SIMD on worker threads)", () => {
  it("gives bit-identical logits with 1, 2 and 3 workers, on the calling thread and with the JavaScript kernels", async () => {
    const shape = derivePocShape(odd);
    const weights = randomWeights(odd, 7);
    const count = 5;
    const inputs = randomInputs(count * shape.seqLen * shape.dim, 11);
    const runs: [string, Parameters<typeof createCpuBackend>[2], number][] = [
      ["1 worker", { threads: 1 }, 1], ["2 workers", { threads: 2 }, 2], ["3 workers", { threads: 3 }, 3],
      ["calling thread", { threads: 0 }, 0], ["JavaScript", { kernels: "js" }, 0],
    ];
    const outs: Float32Array[] = [];
    for (const [name, options, workers] of runs) {
      const b = createCpuBackend(shape, weights, options);
      onTestFinished(() => b.destroy());
      const out = await b.forward(inputs, count);
      expect(await b.ready(), name).toMatchObject({ kernels: name === "JavaScript" ? "js" : "wasm-simd", workers });
      expect(b.liveWorkers, name).toBe(workers);
      expect(out.length).toBe(count * shape.vocab);
      outs.push(out);
      b.destroy();
    }
    for (let i = 1; i < outs.length; i++) expect(sameBits(outs[i], outs[0]), runs[i][0]).toBe(true);
    // Not all zeros, and nonces differ.
    expect(relativeToMax(outs[0].subarray(0, shape.vocab), outs[0].subarray(shape.vocab, 2 * shape.vocab))).toBeGreaterThan(1e-2);
    // Against the float64-accumulating reference: float32 rounding only.
    const want = await createReferenceCpuBackend(shape, weights).forward(inputs, count);
    expect(relativeToMax(outs[0], want)).toBeLessThan(2e-6);
  });

  for (const c of fixture.cases) {
    it(`${c.name}: poc.json distances within 1e-6 on 2 worker threads and on the calling thread`, async () => {
      const idx = c.name === "small" ? [0, 13] : c.nonces.map((_, i) => i);
      for (const cpu of [{ threads: 2 }, { threads: 0 }]) {
        const engine = await createPocEngine({ params: c.params, blockHash: c.blockHash, publicKey: c.publicKey, backend: "cpu", cpu });
        onTestFinished(() => engine.destroy());
        const dist = await engine.distances(idx.map((i) => c.nonces[i]));
        idx.forEach((i, j) => expect(Math.abs(dist[j] - c.distances[i])).toBeLessThan(1e-6));
        expect(engine.backend.description).toMatch(cpu.threads ? /WebAssembly SIMD, float32, 2 worker threads/ : /calling thread/);
        engine.destroy();
      }
    });
  }

  it("queues overlapping forward calls (one pass at a time) with the same results as sequential calls", async () => {
    const shape = derivePocShape(odd);
    const b = createCpuBackend(shape, randomWeights(odd, 3), { threads: 2 });
    onTestFinished(() => b.destroy());
    const x1 = randomInputs(2 * shape.seqLen * shape.dim, 1), x2 = randomInputs(3 * shape.seqLen * shape.dim, 2);
    const [a, c] = await Promise.all([b.forward(x1, 2), b.forward(x2, 3)]);
    expect(sameBits(await b.forward(x1, 2), a)).toBe(true);
    expect(sameBits(await b.forward(x2, 3), c)).toBe(true);
  });

  it("destroy terminates the workers; forward afterwards rejects", async () => {
    const shape = derivePocShape(odd);
    const b = createCpuBackend(shape, randomWeights(odd, 3), { threads: 2 });
    await b.ready();
    expect(b.liveWorkers).toBe(2);
    b.destroy();
    expect(b.liveWorkers).toBe(0);
    await expect(b.forward(randomInputs(shape.seqLen * shape.dim, 1), 1)).rejects.toThrow(/destroyed/);
    b.destroy(); // idempotent
  });

  it("rejects bad options and inputs with InvalidArgumentError", async () => {
    const shape = derivePocShape(odd);
    const w = randomWeights(odd, 3);
    expect(() => createCpuBackend(shape, w, { threads: -1 })).toThrow(InvalidArgumentError);
    expect(() => createCpuBackend(shape, w, { threads: 1.5 })).toThrow(/threads/);
    expect(() => createCpuBackend(shape, w, { kernels: "gpu" as "js" })).toThrow(/kernels/);
    const b = createCpuBackend(shape, w, { threads: 0 });
    onTestFinished(() => b.destroy());
    await expect(b.forward(new Float32Array(10), 1)).rejects.toThrow(InvalidArgumentError);
    await expect(b.forward(new Float32Array(0), -1)).rejects.toThrow(/count/);
    expect(await b.forward(new Float32Array(0), 0)).toHaveLength(0);
  });

  it("defaults: no workers for models under 20 MFLOP per nonce, else up to one per core, kv head and 20 MFLOP", () => {
    expect(defaultCpuThreads(derivePocShape(pocCase("tiny").params), 8)).toBe(0);
    const small = derivePocShape(pocCase("small").params); // 8 kv heads, ~1.4 GFLOP per nonce
    expect(defaultCpuThreads(small, 2)).toBe(2);
    expect(defaultCpuThreads(small, 64)).toBe(8);
    expect(defaultCpuThreads(derivePocShape(pocCase("gqa-scaled-rope").params), 16)).toBe(2); // 2 kv heads
  });
});
