import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assessBatch, createPocEngine, derivePocShape, InvalidPocParamsError, InvalidProofBatchError, parseProofBatch,
  type PocEngine, type ProofBatch,
} from "../../../src/poc/index.js";
import { pocCase } from "./fixtures.js";

const tiny = pocCase("tiny");
const R = 1.4013564660458173;
let engine: PocEngine;

beforeAll(async () => {
  engine = await createPocEngine({ params: tiny.params, blockHash: tiny.blockHash, publicKey: tiny.publicKey, backend: "cpu" });
});
afterAll(() => engine.destroy());

function honestBatch(): ProofBatch {
  // Nonces of the vector whose distance is below r_target, with their golden distances.
  const idx = tiny.nonces.map((_, i) => i).filter((i) => tiny.distances[i] < R);
  return {
    public_key: tiny.publicKey, block_hash: tiny.blockHash, block_height: 100,
    nonces: idx.map((i) => tiny.nonces[i]), dist: idx.map((i) => tiny.distances[i]), node_id: 0,
  };
}

describe("validateBatch", () => {
  it("accepts an honest batch: recomputed distances equal the vectors, n_invalid 0, no fraud", async () => {
    const batch = honestBatch();
    expect(batch.nonces.length).toBeGreaterThan(3);
    const v = await engine.validateBatch(batch, { rTarget: R, fraudThreshold: 1e-7 });
    expect(v.n_invalid).toBe(0);
    expect(v.probability_honest).toBe(1);
    expect(v.fraud_detected).toBe(false);
    expect(v.received_dist).toEqual(batch.dist);
    v.dist.forEach((d, i) => expect(Math.abs(d - batch.dist[i])).toBeLessThan(1e-6));
    expect(Object.keys(v)).toEqual([
      "public_key", "block_hash", "block_height", "nonces", "dist", "node_id",
      "received_dist", "r_target", "fraud_threshold", "n_invalid", "probability_honest", "fraud_detected",
    ]);
  });

  it("catches a batch claiming invalid nonces as valid", async () => {
    const idx = tiny.nonces.map((_, i) => i).filter((i) => tiny.distances[i] > R);
    expect(idx.length).toBeGreaterThan(2);
    const batch: ProofBatch = {
      public_key: tiny.publicKey, block_hash: tiny.blockHash, block_height: 100,
      nonces: idx.map((i) => tiny.nonces[i]), dist: idx.map(() => 1.3), node_id: 0,
    };
    const v = await engine.validateBatch(batch, { rTarget: R, fraudThreshold: 1e-7 });
    expect(v.n_invalid).toBe(idx.length);
    expect(v.probability_honest).toBeCloseTo(Math.pow(5e-4, idx.length), 20);
    expect(v.fraud_detected).toBe(true);
  });

  it("recomputes with the batch's public key, not the engine's", async () => {
    const other = { ...honestBatch(), public_key: "someone-else" };
    const mine = await engine.distances(other.nonces);
    const theirs = await engine.distances(other.nonces, "someone-else");
    const v = await engine.validateBatch(other, { rTarget: R });
    expect(v.dist).toEqual(Array.from(theirs));
    expect(v.dist).not.toEqual(Array.from(mine));
  });

  it("rejects malformed batches with typed errors", async () => {
    const good = honestBatch();
    const cases: [string, ProofBatch][] = [
      ["dist", { ...good, dist: good.dist.slice(1) }],
      ["dist[0]", { ...good, dist: [Number.NaN, ...good.dist.slice(1)] }],
      ["dist[0]", { ...good, dist: [-0.5, ...good.dist.slice(1)] }],
      ["dist[0]", { ...good, dist: [R, ...good.dist.slice(1)] }],
      ["block_hash", { ...good, block_hash: "ANOTHER" }],
    ];
    for (const [argument, batch] of cases) {
      const err = await engine.validateBatch(batch, { rTarget: R }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidProofBatchError);
      expect((err as InvalidProofBatchError).argument).toBe(`batch.${argument}`);
    }
    expect(() => assessBatch(good, [1, 2], { rTarget: R })).toThrow(InvalidProofBatchError);
    expect(() => assessBatch(good, good.dist, { rTarget: 3 })).toThrow(InvalidProofBatchError);
  });

  it("parses wire batches and names the bad field", () => {
    const good = honestBatch();
    expect(parseProofBatch(JSON.parse(JSON.stringify(good)))).toEqual(good);
    const bad: [unknown, string][] = [
      [null, "batch.(root)"], [[], "batch.(root)"], [{ ...good, nonces: "1,2" }, "batch.nonces"],
      [{ ...good, nonces: [1.5] }, "batch.nonces[0]"], [{ ...good, dist: ["x"] }, "batch.dist[0]"],
      [{ ...good, block_height: "7" }, "batch.block_height"], [{ ...good, public_key: "" }, "batch.public_key"],
    ];
    for (const [body, argument] of bad) {
      let err: unknown;
      try { parseProofBatch(body); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(InvalidProofBatchError);
      expect((err as InvalidProofBatchError).argument).toBe(argument);
    }
  });
});

describe("absurd params", () => {
  const base = tiny.params;
  it("derivePocShape rejects them with InvalidPocParamsError", () => {
    expect(() => derivePocShape({ ...base, dim: 66 })).toThrow(InvalidPocParamsError); // 66 % 4 heads
    expect(() => derivePocShape({ ...base, n_layers: 0 })).toThrow(InvalidPocParamsError);
    expect(() => derivePocShape({ ...base, n_kv_heads: 3 })).toThrow(InvalidPocParamsError);
    expect(() => derivePocShape({ ...base, dim: 36, n_heads: 12 })).toThrow(InvalidPocParamsError); // odd head size
    expect(derivePocShape(base).hidden).toBe(224);
  });
  it("createPocEngine rejects them before allocating anything", async () => {
    for (const params of [{ ...base, dim: 66 }, { ...base, n_layers: 0 }, { ...base, seq_len: -1 }]) {
      const err = await createPocEngine({ params, blockHash: "B", publicKey: "P", backend: "cpu" }).catch((e: unknown) => e);
      expect((err as Error).name).toMatch(/InvalidArgumentError|InvalidPocParamsError/);
    }
  });
});
