/**
 * The artifact store and its MMR against go.mmr (the network node's own Go code): 40 leaves, every
 * root for 1…40 leaves, 51 proofs at 15 counts, 83 verify cases (51 valid; of the 32 altered ones
 * 28 fail and the 4 with an extra trailing hash pass, as upstream), the data file, nodes.json, and
 * the 1000-leaf store's proof for leaf 777.
 *
 * Not asserted: large_store_roots other than 512 and 1000 — the 1000 leaves' vectors are not in the
 * file (only leaf 777 and its proof), so those roots cannot be recomputed.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors.js";
import {
  ArtifactMmr, checkMmrProof, DuplicateNonceError, LeafIndexOutOfRangeError, leafHash, MmrProofError, mmrPeakPositions, mmrSize,
  nodeHash, verifyMmrProof,
} from "../../../src/poc/v2/index.js";
import { hex, sha256Hex, toHex, V } from "./fixtures.js";

const M = V.go.mmr;
const NODES = ["node-a", "node-b", "node-c"];

function buildStore(): ArtifactMmr {
  const s = new ArtifactMmr();
  M.leaves.forEach((l: { nonce: number; vector_hex: string }, i: number) => s.append(l.nonce, hex(l.vector_hex), NODES[i % 3]));
  return s;
}

/** A verify case's leaf data is LE32(nonce) ‖ vector. */
function splitLeaf(leafDataHex: string): { nonce: number; vectorBytes: Uint8Array } {
  const b = hex(leafDataHex);
  return { nonce: new DataView(b.buffer).getInt32(0, true), vectorBytes: b.slice(4) };
}

describe("ArtifactMmr: the network node's store", () => {
  const store = buildStore();

  it("hashes 40 leaves as SHA256(0x00 ‖ LE32(nonce) ‖ vector), numbered in arrival order", () => {
    for (const l of M.leaves) {
      expect(toHex(leafHash(l.nonce, hex(l.vector_hex)))).toBe(l.leaf_hash);
      expect(l.leaf_data_hex).toBe(toHex(new Uint8Array([...new Uint8Array(new Int32Array([l.nonce]).buffer), ...hex(l.vector_hex)])));
      const stored = store.leaf(l.leaf_index);
      expect(stored.nonce).toBe(l.nonce);
      expect(toHex(stored.vectorBytes)).toBe(l.vector_hex);
    }
    expect(store.count).toBe(40);
  });

  it("hashes inner nodes as SHA256(0x01 ‖ left ‖ right)", () => {
    expect(toHex(nodeHash(hex(M.hash_node_example.left), hex(M.hash_node_example.right)))).toBe(M.hash_node_example.hash);
  });

  it("has the root of every prefix count 1…40, with its size and peak positions", () => {
    for (const r of M.roots) {
      expect(toHex(store.root(r.count)), `count ${r.count}`).toBe(r.root);
      expect(mmrSize(r.count)).toBe(r.mmr_size);
      expect(mmrPeakPositions(r.count)).toEqual(r.peak_positions);
    }
    expect(toHex(store.root(1))).toBe(M.single_leaf_root_is_leaf_hash);
    expect(toHex(store.root())).toBe(M.flushed_root);
    expect(store.count).toBe(M.flushed_count);
  });

  it("builds the 51 proofs exactly (siblings lowest first, then the other peaks left to right)", () => {
    for (const p of M.proofs) {
      expect(store.proof(p.leaf_index, p.count).map(toHex), `leaf ${p.leaf_index} at ${p.count}`).toEqual(p.proof);
      expect(store.leaf(p.leaf_index).nonce).toBe(p.nonce);
    }
  });

  it("writes artifacts.data and nodes.json byte for byte", () => {
    const data = store.dataFile();
    expect(data.length).toBe(M.data_file_size);
    expect(sha256Hex(data)).toBe(M.data_file_sha256);
    expect(toHex(data.subarray(0, 32))).toBe(M.data_file_first_record_hex);
    expect(store.nodesJson()).toBe(M.nodes_json);
  });

  it("reloads from artifacts.data to the same root", () => {
    const again = ArtifactMmr.fromDataFile(store.dataFile(), { nodeCounts: store.nodeCounts() });
    expect(toHex(again.root())).toBe(M.flushed_root);
    expect(again.nodesJson()).toBe(M.nodes_json);
    expect(() => ArtifactMmr.fromDataFile(store.dataFile().subarray(0, 50))).toThrow(/truncated/);
  });

  it("rejects a duplicate nonce (the network node's 'duplicate nonce')", () => {
    const s = buildStore();
    expect(() => s.append(M.leaves[3].nonce, new Uint8Array(24))).toThrow(DuplicateNonceError);
    expect(() => s.append(M.leaves[3].nonce, new Uint8Array(24))).toThrow(M.duplicate_nonce_error);
    expect(s.count).toBe(40);
    expect(toHex(s.root())).toBe(M.flushed_root);
  });

  it("rejects a vector of the wrong length and a nonce outside int32", () => {
    const s = new ArtifactMmr();
    expect(() => s.append(1, new Uint8Array(22))).toThrow(/expected 24 bytes/);
    expect(() => s.append(2 ** 31, new Uint8Array(24))).toThrow(InvalidArgumentError);
    expect(() => s.append(1.5, new Uint8Array(24))).toThrow(InvalidArgumentError);
  });

  it("refuses proofs for leaf indices ≥ count and roots of counts it does not have", () => {
    expect(() => store.proof(40)).toThrow(LeafIndexOutOfRangeError);
    expect(() => store.proof(10, 10)).toThrow(LeafIndexOutOfRangeError);
    expect(() => store.proof(0, 41)).toThrow(InvalidArgumentError);
    expect(() => store.root(0)).toThrow(InvalidArgumentError);
    expect(() => new ArtifactMmr().root()).toThrow(InvalidArgumentError);
  });
});

describe("the store's SHA-256", () => {
  it("equals @noble/hashes for leaves of every vector length up to 114 bytes and for inner nodes", () => {
    let seed = 1;
    const rnd = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    for (let len = 0; len <= 130; len++) {
      const v = rnd(len);
      const nonce = (seed * 7) | 0;
      const msg = new Uint8Array([0, ...new Uint8Array(new Int32Array([nonce]).buffer), ...v]);
      expect(toHex(leafHash(nonce, v)), `length ${len}`).toBe(toHex(sha256(msg)));
      const l = rnd(32);
      const r = rnd(32);
      expect(toHex(nodeHash(l, r))).toBe(toHex(sha256(new Uint8Array([1, ...l, ...r]))));
    }
  });
});

describe("verifyMmrProof", () => {
  const byName = new Map<string, { valid: number; invalid: number }>();
  for (const [i, v] of M.verify.entries()) {
    it(`case ${i} ${v.name} (leaf ${v.leaf_index} at ${v.count}) → ${v.valid}`, () => {
      const { nonce, vectorBytes } = splitLeaf(v.leaf_data_hex);
      const ok = verifyMmrProof({ root: hex(v.root), count: v.count, leafIndex: v.leaf_index, nonce, vectorBytes, proof: v.proof.map(hex) });
      expect(ok).toBe(v.valid);
      const tally = byName.get(v.name) ?? { valid: 0, invalid: 0 };
      tally[ok ? "valid" : "invalid"]++;
      byName.set(v.name, tally);
    });
  }
  it("counts: 51 valid, 28 altered fail, the 4 with an extra trailing hash pass", () => {
    const altered = [...byName.entries()].filter(([n]) => n !== "valid");
    expect(byName.get("valid")).toEqual({ valid: 51, invalid: 0 });
    expect(altered.reduce((s, [, t]) => s + t.invalid, 0)).toBe(28);
    expect(byName.get("proof_with_extra_trailing_hash")).toEqual({ valid: 4, invalid: 0 });
  });

  it("checkMmrProof says why: index, short, root", () => {
    const v = M.verify.find((x: { name: string; count: number }) => x.name === "valid" && x.count === 40);
    const { nonce, vectorBytes } = splitLeaf(v.leaf_data_hex);
    const base = { root: hex(v.root), count: v.count, leafIndex: v.leaf_index, nonce, vectorBytes, proof: v.proof.map(hex) };
    expect(() => checkMmrProof(base)).not.toThrow();
    const reason = (args: typeof base): string | undefined => {
      try {
        checkMmrProof(args);
      } catch (e) {
        return e instanceof MmrProofError ? e.reason : "other";
      }
      return undefined;
    };
    expect(reason({ ...base, leafIndex: 40 })).toBe("index");
    expect(reason({ ...base, proof: base.proof.slice(0, 2) })).toBe("short");
    expect(reason({ ...base, proof: base.proof.slice(0, -1) })).toBe("short");
    expect(reason({ ...base, nonce: nonce + 1 })).toBe("root");
  });

  it("verifies leaf 777 of the 1000-leaf store against its root, whose first peak is the 512-leaf root", () => {
    const L = M.large_store_proof_leaf_777;
    const args = { root: hex(M.large_store_roots["1000"]), count: L.count, leafIndex: L.leaf_index, nonce: L.nonce, vectorBytes: hex(L.vector_hex), proof: L.proof.map(hex) };
    expect(verifyMmrProof(args)).toBe(true);
    // 1000 = 512+256+128+64+32+8: leaf 777 sits in the 128-leaf mountain (7 siblings), then 5 other peaks.
    expect(L.proof.length).toBe(7 + 5);
    expect(L.proof[7]).toBe(M.large_store_roots["512"]);
    expect(verifyMmrProof({ ...args, root: hex(M.large_store_roots["999"]) })).toBe(false);
    expect(verifyMmrProof({ ...args, count: 999 })).toBe(false);
  });

  it("a store built here proves and verifies every leaf at every count up to 70", () => {
    const s = new ArtifactMmr();
    for (let i = 0; i < 70; i++) s.append(3 * i - 50, new Uint8Array(24).fill(i));
    for (let c = 1; c <= 70; c++) {
      const root = s.root(c);
      for (let i = 0; i < c; i++) {
        const { nonce, vectorBytes } = s.leaf(i);
        expect(verifyMmrProof({ root, count: c, leafIndex: i, nonce, vectorBytes, proof: s.proof(i, c) })).toBe(true);
      }
    }
  });

  it("throws on arguments that are not bytes", () => {
    expect(() => verifyMmrProof({ root: "00" as unknown as Uint8Array, count: 1, leafIndex: 0, nonce: 0, vectorBytes: new Uint8Array(24), proof: [] })).toThrow(InvalidArgumentError);
  });
});
