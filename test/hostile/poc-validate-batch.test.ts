/**
 * Hostile provers against PoC v1 `validateBatch`: repeated nonces and another node's nonces must
 * not pass the fraud test (issue 14, "Verification that can be fooled").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assessBatch, checkBatchIntegrity, createPocEngine, InvalidProofBatchError, type PocEngine, type ProofBatch,
} from "../../src/poc/index.js";
import { pocCase } from "../poc/engine/fixtures.js";

const tiny = pocCase("tiny");
const R = 1.4013564660458173;
let engine: PocEngine;

beforeAll(async () => {
  engine = await createPocEngine({ params: tiny.params, blockHash: tiny.blockHash, publicKey: tiny.publicKey, backend: "cpu" });
});
afterAll(() => engine.destroy());

function validIndices(): number[] {
  return tiny.nonces.map((_, i) => i).filter((i) => tiny.distances[i] < R);
}

function batchOf(idx: number[], nodeId = 0): ProofBatch {
  return {
    public_key: tiny.publicKey, block_hash: tiny.blockHash, block_height: 100,
    nonces: idx.map((i) => tiny.nonces[i]), dist: idx.map((i) => tiny.distances[i]), node_id: nodeId,
  };
}

describe("validateBatch against padded batches", () => {
  it("judges one valid nonce repeated 500 times as fraud (499 repeats counted invalid)", async () => {
    const i = validIndices()[0];
    const batch = batchOf(new Array<number>(500).fill(i));
    const v = await engine.validateBatch(batch, { rTarget: R, fraudThreshold: 1e-7 });
    expect(v.n_invalid).toBe(499);
    expect(v.fraud_detected).toBe(true);
    expect(v.probability_honest).toBeLessThan(1e-7);
  });

  it("judges an honest batch with every nonce listed twice as fraud", async () => {
    const idx = validIndices();
    expect(idx.length).toBeGreaterThan(3);
    const honest = await engine.validateBatch(batchOf(idx), { rTarget: R });
    expect(honest.n_invalid).toBe(0);
    expect(honest.fraud_detected).toBe(false);
    const doubled = await engine.validateBatch(batchOf([...idx, ...idx]), { rTarget: R, fraudThreshold: 1e-7 });
    expect(doubled.n_invalid).toBe(idx.length);
    expect(doubled.fraud_detected).toBe(true);
    // The recomputed distances are still reported for every entry.
    expect(doubled.dist.length).toBe(2 * idx.length);
    doubled.dist.forEach((d, k) => expect(Math.abs(d - doubled.received_dist[k])).toBeLessThan(1e-6));
  });

  it("judges valid nonces of another node's stride as fraud when node_count is known", async () => {
    // node_count 2: node 1 owns odd nonces. Claim node 0's (even) valid nonces as node 1's.
    const candidates = Array.from({ length: 60 }, (_, k) => 2 * k);
    const d = await engine.distances(candidates);
    const kept = candidates.map((n, k) => ({ n, d: d[k] })).filter((x) => x.d < R);
    expect(kept.length).toBeGreaterThanOrEqual(5);
    const even = kept.map((x) => x.n);
    const batch: ProofBatch = { ...batchOf([], 1), nonces: even, dist: kept.map((x) => x.d) };
    const v = await engine.validateBatch(batch, { rTarget: R, fraudThreshold: 1e-7, nodeCount: 2 });
    expect(v.n_invalid).toBe(even.length);
    expect(v.fraud_detected).toBe(true);
    // The same nonces under their own node id are honest.
    const own = await engine.validateBatch({ ...batch, node_id: 0 }, { rTarget: R, fraudThreshold: 1e-7, nodeCount: 2 });
    expect(own.n_invalid).toBe(0);
    expect(own.fraud_detected).toBe(false);
  });

  it("refuses a node_id that is not below node_count with a typed error", () => {
    const batch = batchOf(validIndices(), 5);
    expect(() => assessBatch(batch, batch.dist, { rTarget: R, nodeCount: 2 })).toThrow(InvalidProofBatchError);
    expect(() => checkBatchIntegrity(batch, { nodeCount: 0 })).toThrow(InvalidProofBatchError);
  });

  it("checkBatchIntegrity names repeated and out-of-stride entries by index", () => {
    const batch: ProofBatch = { ...batchOf([]), nonces: [4, 7, 4, 10, 7], dist: [1, 1, 1, 1, 1], node_id: 1 };
    expect(checkBatchIntegrity(batch, { nodeCount: 2 })).toEqual({ duplicates: [2, 4], outsideStride: [0, 2, 3] });
    expect(checkBatchIntegrity(batch)).toEqual({ duplicates: [2, 4], outsideStride: [] });
  });
});
