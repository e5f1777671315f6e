import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { createCpuBackend, createPocEngine, derivePocShape, initWeights, runGenerate, type CpuBackend } from "../../../src/poc/index.js";
import { pocCase } from "./fixtures.js";

const small = pocCase("small");
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/**
 * Runs `work` while a 10 ms interval timer ticks; returns the longest gap between ticks (ms).
 * The bounds asserted on it are generous (on a loaded machine the OS alone can delay a tick by a
 * few hundred ms) but far below the seconds a pass that does not yield would block.
 */
async function longestTimerGap<T>(work: () => Promise<T>): Promise<{ gap: number; result: T }> {
  let last = performance.now(), gap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 10);
  try {
    const result = await work();
    return { gap: Math.max(gap, performance.now() - last), result };
  } finally {
    clearInterval(timer);
  }
}

describe("CPU backend and the event loop", () => {
  it("aborting generate on the small shape returns within ~1 s, terminates the workers, and the next call restarts them", async () => {
    const engine = await createPocEngine({
      params: small.params, blockHash: small.blockHash, publicKey: small.publicKey, backend: "cpu", cpu: { threads: 2 },
    });
    onTestFinished(() => engine.destroy());
    const cpu = engine.backend as CpuBackend;
    await cpu.ready();
    expect(cpu.liveWorkers).toBe(2);
    const ac = new AbortController();
    let abortedAt = 0;
    const batches: unknown[] = [];
    // 64 nonces per batch: several seconds of work; abort 300 ms into it.
    setTimeout(() => { abortedAt = performance.now(); ac.abort(); }, 300);
    const { gap } = await longestTimerGap(async () => {
      for await (const b of engine.generate({ nodeId: 0, nodeCount: 1, batchSize: 64, signal: ac.signal })) batches.push(b);
    });
    const returnedAfter = performance.now() - abortedAt;
    expect(abortedAt).toBeGreaterThan(0);
    expect(batches).toHaveLength(0); // the batch in flight could not finish within the grace period
    expect(returnedAfter).toBeLessThan(1500);
    expect(cpu.liveWorkers).toBe(0);
    expect(gap).toBeLessThan(1000); // timers kept firing while the workers computed (a pass takes seconds)
    // The engine still works: workers restart on the next call.
    const d = await engine.distances([small.nonces[0]]);
    expect(Math.abs(d[0] - small.distances[0])).toBeLessThan(1e-6);
    expect(cpu.liveWorkers).toBe(2);
  });

  for (const [name, options] of [["WebAssembly", { threads: 0 }], ["JavaScript", { kernels: "js" as const }]] as const) {
    it(`on the calling thread (${name} kernels), timers keep firing and an abort stops the pass between slices`, async () => {
      const shape = derivePocShape(small.params);
      const b = createCpuBackend(shape, initWeights(small.params, small.blockHash), options);
      onTestFinished(() => b.destroy());
      await b.ready();
      const inputs = new Float32Array(8 * shape.seqLen * shape.dim).fill(0.5);
      // 8 nonces of `small` on one thread (1 with the slower JavaScript kernels): over a second of
      // work, in slices of ~15 ms.
      const t0 = performance.now();
      const { gap, result: before } = await longestTimerGap(() => b.forward(inputs, name === "JavaScript" ? 1 : 8));
      const took = performance.now() - t0;
      expect(gap).toBeLessThan(Math.min(600, took / 2));
      const ac = new AbortController();
      const t1 = performance.now();
      setTimeout(() => ac.abort(new Error("stop now")), 50);
      await expect(b.forward(inputs, 8, { signal: ac.signal })).rejects.toThrow("stop now");
      expect(performance.now() - t1).toBeLessThan(Math.min(1000, took / 2));
      // Weights are intact: the next pass gives the same logits as before the abort.
      const again = await b.forward(inputs, 1);
      expect(Array.from(again)).toEqual(Array.from(before.subarray(0, shape.vocab)));
    });
  }

  it("runGenerate on the CPU backend posts batches every interval while the workers compute", async () => {
    const posts: number[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        posts.push(performance.now());
        res.writeHead(200).end();
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
    const body = {
      node_id: 0, node_count: 1, block_hash: small.blockHash, block_height: 1, public_key: small.publicKey,
      batch_size: 4, r_target: 1.4013564660458173, fraud_threshold: 1e-7, params: small.params, url,
    };
    const progress: number[] = [];
    // The engine (weights drawn on this thread) is loaded first; the run itself must not block.
    const engine = await createPocEngine({ params: small.params, blockHash: small.blockHash, publicKey: small.publicKey, backend: "cpu" });
    onTestFinished(() => engine.destroy());
    await (engine.backend as CpuBackend).ready();
    const { gap, result } = await longestTimerGap(() => runGenerate(body, {
      engine, maxNonces: 24, batchSize: 4, sendIntervalMs: 100, finalFlushMs: 5000,
      onProgress: () => progress.push(performance.now()),
    }));
    expect(result.computed).toBe(24);
    expect(result.pending).toBe(0);
    expect(result.backend).toMatch(/worker thread/);
    expect(gap).toBeLessThan(1000); // a pass of 4 nonces that blocked would take seconds
    // Every batch with valid nonces was POSTed within ~an interval of being computed, not at the end.
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(posts[0]).toBeLessThan(progress.at(-1)!);
  });
});
