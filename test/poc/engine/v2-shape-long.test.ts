import { describe, expect, it } from "vitest";
import { createPocEngine, initWeights, POC_PARAMS_V2, pocParamsToWire } from "../../../src/poc/index.js";
import { hasWebGpu, relativeToMax } from "./fixtures.js";

const gpu = await hasWebGpu();

// The network's V2 shape (dim 1792, FFN 49152, vocab 8196, seq 256) cut to 2 layers: the FFN matrices
// are 176 MB in float16 and go through the chunked-FFN path. Minutes on a CPU, so behind GONKA_LONG.
describe.skipIf(!process.env.GONKA_LONG || !gpu)("V2 shape (2 layers): WebGPU agrees with the CPU oracle", () => {
  it("nonce 0: logits within 2e-5 relative, distance within 1e-6 (≈5 min on 2 cores)", async () => {
    const params = { ...pocParamsToWire(POC_PARAMS_V2), n_layers: 2 };
    const blockHash = "LONGTESTV2X2", publicKey = "02aa";
    const weights = initWeights(params, blockHash);
    const cpu = await createPocEngine({ params, blockHash, publicKey, backend: "cpu", weights });
    const want = await cpu.logits([0]);
    const wantDist = await cpu.distances([0]);
    cpu.destroy();
    for (const precision of ["f16", "f32"] as const) {
      const g = await createPocEngine({ params, blockHash, publicKey, backend: "webgpu", precision, weights, });
      try {
        expect(relativeToMax(await g.logits([0]), want)).toBeLessThan(2e-5);
        const d = await g.distances([0]);
        d.forEach((x, i) => expect(Math.abs(x - wantDist[i])).toBeLessThan(1e-6));
      } finally {
        g.destroy();
      }
    }
  }, 900_000);
});
