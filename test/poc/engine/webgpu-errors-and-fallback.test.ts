import { describe, expect, it, onTestFinished } from "vitest";
import {
  createPocEngine, createWebGpuBackend, derivePocShape, GpuDeviceLostError, GpuOutOfMemoryError, initWeights, WebGpuUnavailableError,
  type PocBackend,
} from "../../../src/poc/index.js";
import { hasWebGpu, pocCase } from "./fixtures.js";

const tiny = pocCase("tiny");
const gpu = await hasWebGpu();
const noAdapter = { requestAdapter: async () => null } as unknown as GPU;

describe("WebGPU failures are typed, and the engine can fall back to the CPU", () => {
  it("no adapter → WebGpuUnavailableError", async () => {
    const shape = derivePocShape(tiny.params);
    const err = await createWebGpuBackend(shape, initWeights(tiny.params, tiny.blockHash), { gpu: noAdapter }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuUnavailableError);
  });

  it("no adapter with fallbackToCpu → the CPU backend, same distances as the vectors", async () => {
    const reasons: unknown[] = [];
    const engine = await createPocEngine({
      params: tiny.params, blockHash: tiny.blockHash, publicKey: tiny.publicKey, backend: "webgpu",
      fallbackToCpu: true, webgpu: { gpu: noAdapter }, onFallback: (r) => reasons.push(r),
    });
    onTestFinished(() => engine.destroy());
    expect(engine.backend.kind).toBe("cpu");
    expect(reasons[0]).toBeInstanceOf(WebGpuUnavailableError);
    const d = await engine.distances(tiny.nonces.slice(0, 3));
    d.forEach((x, i) => expect(Math.abs(x - tiny.distances[i])).toBeLessThan(1e-6));
  });

  it("a device lost mid-run with fallbackToCpu → the batch is recomputed on the CPU", async () => {
    const lost: PocBackend = {
      kind: "webgpu", shape: derivePocShape(tiny.params), precision: "f32", preferredBatch: 4, description: "lost",
      forward: () => Promise.reject(new GpuDeviceLostError("unknown", "simulated")),
      destroy: () => undefined,
    };
    const engine = await createPocEngine({ params: tiny.params, blockHash: tiny.blockHash, publicKey: tiny.publicKey, backend: lost, fallbackToCpu: true });
    onTestFinished(() => engine.destroy());
    const d = await engine.distances([tiny.nonces[5]]);
    expect(Math.abs(d[0] - tiny.distances[5])).toBeLessThan(1e-6);
    expect(engine.backend.kind).toBe("cpu");
    // Without fallback the typed error reaches the caller.
    const strict = await createPocEngine({ params: tiny.params, blockHash: tiny.blockHash, publicKey: tiny.publicKey, backend: lost });
    await expect(strict.distances([0])).rejects.toBeInstanceOf(GpuDeviceLostError);
  });

  it.skipIf(!gpu)("a really destroyed device → GpuDeviceLostError", async () => {
    const shape = derivePocShape(tiny.params);
    const b = await createWebGpuBackend(shape, initWeights(tiny.params, tiny.blockHash), { precision: "f32" });
    onTestFinished(() => b.destroy());
    b.device.destroy();
    await b.device.lost;
    await expect(b.forward(new Float32Array(shape.seqLen * shape.dim), 1)).rejects.toBeInstanceOf(GpuDeviceLostError);
  });

  it.skipIf(!gpu)("a matrix row over the storage-binding limit → GpuOutOfMemoryError", async () => {
    const shape = derivePocShape(tiny.params);
    const err = await createWebGpuBackend(shape, initWeights(tiny.params, tiny.blockHash), { precision: "f32", maxBindingBytes: 64 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpuOutOfMemoryError);
  });
});
