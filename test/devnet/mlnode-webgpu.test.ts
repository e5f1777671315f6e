/**
 * The devnet MLNode on the WebGPU backend (Dawn; lavapipe here): same golden nonces as the CPU.
 * Needs a WebGPU adapter, so it runs with GONKA_LONG=1.
 */
import { describe, expect, it } from "vitest";
import poc from "../fixtures/poc.json";
import { createEnginePocBackend, startDevnet } from "../../src/devnet/index.js";

const tiny = poc.cases.find((c) => c.name === "tiny")!;
const R_TARGET = 1.4013564660458173;

describe.skipIf(!process.env.GONKA_LONG)("devnet MLNode over the WebGPU PoC engine", () => {
  it("generates the golden valid nonces of the tiny model", async () => {
    let fellBack: unknown;
    const devnet = await startDevnet({ pocVersion: 1, poc: createEnginePocBackend("webgpu", { onFallback: (r) => (fellBack = r) }), pocSendIntervalMs: 20 });
    try {
      const res = await fetch(`${devnet.mlnodeUrl}/api/v1/pow/init/generate`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          node_id: 0,
          node_count: 1,
          block_hash: tiny.blockHash,
          block_height: 1,
          public_key: tiny.publicKey,
          batch_size: 12,
          r_target: R_TARGET,
          fraud_threshold: 1e-7,
          params: tiny.params,
          url: devnet.pocCallbackUrl,
        }),
      });
      expect(res.status).toBe(200);
      const batches = await devnet.waitForPocBatches({ height: 1, timeoutMs: 60_000 });
      await fetch(`${devnet.mlnodeUrl}/api/v1/pow/stop`, { method: "POST" });
      const got = new Map<number, number>();
      for (const b of batches) b.nonces.forEach((n, i) => got.set(n, b.dist[i]!));
      const expected = tiny.nonces.slice(0, 12).filter((_, i) => tiny.distances[i]! < R_TARGET);
      expect([...got.keys()].filter((n) => n < 12).sort((a, b) => a - b)).toEqual(expected);
      for (const n of expected) expect(got.get(n)).toBeCloseTo(tiny.distances[tiny.nonces.indexOf(n)]!, 5);
      expect(fellBack).toBeUndefined(); // it really ran on WebGPU
    } finally {
      await devnet.stop();
    }
  }, 120_000);
});
