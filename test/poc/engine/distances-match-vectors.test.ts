import { describe, expect, it, onTestFinished } from "vitest";
import { createPocEngine } from "../../../src/poc/index.js";
import { fixture, hasWebGpu, relativeToMax } from "./fixtures.js";

const gpu = await hasWebGpu();

describe("CPU backend reproduces poc.json", () => {
  for (const c of fixture.cases) {
    it(`${c.name}: every distance within 1e-6, nonce-0 logits within 1e-4`, async () => {
      const engine = await createPocEngine({ params: c.params, blockHash: c.blockHash, publicKey: c.publicKey, backend: "cpu" });
      onTestFinished(() => engine.destroy());
      // The small shape runs ~2.5 nonces/s on the CPU: check a spread of its nonces, every nonce elsewhere.
      const idx = c.name === "small" ? [0, 1, 12, 13] : c.nonces.map((_, i) => i);
      const dist = await engine.distances(idx.map((i) => c.nonces[i]));
      idx.forEach((i, j) => expect(Math.abs(dist[j] - c.distances[i])).toBeLessThan(1e-6));
      const lg = await engine.logits([c.nonces[0]]);
      expect(relativeToMax(lg.subarray(0, 16), c.logits_nonce0_first)).toBeLessThan(1e-4);
      engine.destroy();
    });
  }
});

describe.skipIf(!gpu)("WebGPU backend reproduces poc.json", () => {
  for (const precision of ["f32", "f16"] as const) {
    for (const c of fixture.cases) {
      it(`${precision} weights, ${c.name}: every distance within 1e-6, nonce-0 logits within 1e-4`, async () => {
        const engine = await createPocEngine({ params: c.params, blockHash: c.blockHash, publicKey: c.publicKey, backend: "webgpu", precision });
        onTestFinished(() => engine.destroy());
        expect(engine.backend.kind).toBe("webgpu");
        expect(engine.backend.precision).toBe(precision);
        const dist = await engine.distances(c.nonces);
        c.nonces.forEach((_, i) => expect(Math.abs(dist[i] - c.distances[i])).toBeLessThan(1e-6));
        const lg = await engine.logits([c.nonces[0]]);
        expect(relativeToMax(lg.subarray(0, 16), c.logits_nonce0_first)).toBeLessThan(1e-4);
        engine.destroy();
      });
    }
  }
});
