import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPocEngine, nonceAt, type GenerateProgress, type PocEngine } from "../../../src/poc/index.js";
import { pocCase } from "./fixtures.js";

const tiny = pocCase("tiny");
const R = 1.4013564660458173;
let engine: PocEngine;
beforeAll(async () => {
  engine = await createPocEngine({ params: tiny.params, blockHash: tiny.blockHash, publicKey: tiny.publicKey, backend: "cpu" });
});
afterAll(() => engine.destroy());

describe("generate", () => {
  it("covers nonces 0..11 in batches of 5, keeps exactly the vector's valid ones", async () => {
    const progress: GenerateProgress[] = [];
    const nonces: number[] = [];
    const dist: number[] = [];
    for await (const b of engine.generate({ nodeId: 0, nodeCount: 1, batchSize: 5, maxNonces: 12, blockHeight: 9, onProgress: (p) => progress.push(p) })) {
      expect(b).toMatchObject({ public_key: tiny.publicKey, block_hash: tiny.blockHash, block_height: 9, node_id: 0 });
      nonces.push(...b.nonces);
      dist.push(...b.dist);
    }
    const want = tiny.nonces.slice(0, 12).map((n, i) => [n, tiny.distances[i]] as const).filter(([, d]) => d < R);
    expect(nonces).toEqual(want.map(([n]) => n));
    dist.forEach((d, i) => expect(Math.abs(d - want[i][1])).toBeLessThan(1e-6));
    expect(progress.map((p) => p.computed)).toEqual([5, 10, 12]);
    expect(progress.at(-1)).toMatchObject({ valid: want.length, nextIndex: 12 });
  });

  it("walks the network's stride from startIndex and stops on abort", async () => {
    // node 1 of 3, GPU group 1 of 2: offset 1 + 1·3 = 4, step 2·3 = 6; from index 2: 16, 22, 28, 34, 40, 46.
    const stride = [16, 22, 28, 34, 40, 46];
    expect(stride.map((_, i) => nonceAt({ nodeId: 1, nodeCount: 3, groupId: 1, nGroups: 2 }, i + 2))).toEqual(stride);
    const d = await engine.distances(stride);
    const ac = new AbortController();
    const progress: number[][] = [];
    const got: number[] = [];
    let batches = 0;
    for await (const b of engine.generate({
      nodeId: 1, nodeCount: 3, groupId: 1, nGroups: 2, startIndex: 2, batchSize: 2, signal: ac.signal,
      onProgress: (p) => progress.push([p.computed, p.nextIndex]),
    })) {
      batches++;
      got.push(...b.nonces);
      if (batches === 2) ac.abort();
    }
    // The batch scheduled ahead before the abort is still delivered; nothing after it.
    expect(batches).toBe(3);
    expect(progress).toEqual([[2, 4], [4, 6], [6, 8]]);
    expect(got).toEqual(stride.filter((_, i) => d[i] < R));
  });

  it("rejects a bad stride", async () => {
    const g = engine.generate({ nodeId: 0, nodeCount: 2, groupId: 2, nGroups: 2 });
    await expect(g.next()).rejects.toThrow(/groupId/);
    await expect(engine.generate({ nodeId: -1, nodeCount: 1 }).next()).rejects.toThrow(/nodeId/);
  });
});
