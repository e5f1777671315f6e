/**
 * The fraud test (torch.fraud_test: 62 scipy p-values and 12 critical counts), porosity
 * (go.porosity) and the validator's checks on a proof response (coverage, fp16, MMR proofs,
 * duplicate nonces, porosity), each failing the way the network node fails.
 */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors.js";
import {
  ArtifactMmr, checkProofResponse, DuplicateNonceError, encodeBase64, fraudTest, InvalidEncodingError, InvalidFp16VectorError,
  leafHash, minMismatchesForFraud, nodeHash, MmrProofError, parseProofEntries, porosity, PorosityTooHighError, ProofCoverageError, type ProofEntry,
} from "../../../src/poc/v2/index.js";
import { V } from "./fixtures.js";

describe("fraudTest: P(X ≥ n_mismatch), X ~ Binomial(n_total, p_mismatch)", () => {
  for (const c of V.torch.fraud_test.cases) {
    it(`${c.n_mismatch}/${c.n_total} at p ${c.p_mismatch}, threshold ${c.fraud_threshold} → ${c.fraud_detected}`, () => {
      const r = fraudTest({ nMismatch: c.n_mismatch, nTotal: c.n_total, pMismatch: c.p_mismatch, fraudThreshold: c.fraud_threshold });
      expect(Math.abs(r.pValue - c.p_value) / c.p_value).toBeLessThan(1e-13);
      expect(r.fraudDetected).toBe(c.fraud_detected);
    });
  }
  for (const c of V.torch.fraud_test.critical) {
    it(`critical count for n ${c.n_total} at threshold ${c.fraud_threshold}: ${c.min_mismatches_for_fraud}`, () => {
      expect(minMismatchesForFraud({ nTotal: c.n_total, pMismatch: c.p_mismatch, fraudThreshold: c.fraud_threshold })).toBe(c.min_mismatches_for_fraud);
    });
  }
  it("rejects impossible counts", () => {
    expect(() => fraudTest({ nMismatch: 3, nTotal: 2, pMismatch: 0.1, fraudThreshold: 0.05 })).toThrow(InvalidArgumentError);
    expect(() => fraudTest({ nMismatch: 1, nTotal: 2, pMismatch: 1.5, fraudThreshold: 0.05 })).toThrow(InvalidArgumentError);
  });
});

describe("porosity: max|nonce| / count must stay below 100", () => {
  for (const c of V.go.porosity) {
    it(`nonces ${JSON.stringify(c.nonces)} at count ${c.count} → ${c.porosity}${c.too_high ? " (too high)" : ""}`, () => {
      expect(porosity({ nonces: c.nonces, count: c.count })).toEqual({ maxAbsNonce: c.max_abs_nonce, porosity: c.porosity, tooHigh: c.too_high });
    });
  }
});

/** A 30-leaf store with nonces 1, 4, 7, … and distinct valid vectors. */
function store30(): ArtifactMmr {
  const s = new ArtifactMmr();
  for (let i = 0; i < 30; i++) s.append(3 * i + 1, new Uint8Array(24).map((_, j) => (j % 2 ? 0x30 : i + j)));
  return s;
}
function entries(s: ArtifactMmr, indices: number[], count = s.count): ProofEntry[] {
  return indices.map((i) => ({ leafIndex: i, nonce: s.leaf(i).nonce, vectorBytes: s.leaf(i).vectorBytes, proof: s.proof(i, count) }));
}

describe("checkProofResponse: what a validator checks before recomputing", () => {
  const s = store30();
  const root = s.root();
  const want = [3, 17, 0, 29];

  it("accepts an honest response and returns its artifacts", () => {
    const arts = checkProofResponse({ leafIndices: want, proofs: entries(s, want), root, count: 30 });
    expect(arts.map((a) => a.nonce)).toEqual([10, 52, 1, 88]);
    expect(arts[0].vectorB64).toBe(encodeBase64(s.leaf(3).vectorBytes));
  });
  it("rejects missing, unrequested and repeated leaves", () => {
    expect(() => checkProofResponse({ leafIndices: want, proofs: entries(s, [3, 17, 0]), root, count: 30 })).toThrow(ProofCoverageError);
    expect(() => checkProofResponse({ leafIndices: want, proofs: entries(s, [...want, 5]), root, count: 30 })).toThrow(/not requested 5/);
    expect(() => checkProofResponse({ leafIndices: want, proofs: entries(s, [...want, 3]), root, count: 30 })).toThrow(/repeated 3/);
  });
  it("rejects a NaN/Inf or wrongly sized vector before checking proofs", () => {
    const bad = entries(s, want);
    bad[1] = { ...bad[1], vectorBytes: Uint8Array.from(bad[1].vectorBytes) };
    bad[1].vectorBytes[23] = 0x7e;
    bad[1].vectorBytes[22] = 0x00;
    expect(() => checkProofResponse({ leafIndices: want, proofs: bad, root, count: 30 })).toThrow(InvalidFp16VectorError);
    bad[1] = { ...bad[1], vectorBytes: bad[1].vectorBytes.subarray(0, 22) };
    expect(() => checkProofResponse({ leafIndices: want, proofs: bad, root, count: 30 })).toThrow(/invalid vector length/);
  });
  it("rejects a proof that leads to another root (a lying proof server)", () => {
    const bad = entries(s, want);
    bad[2] = { ...bad[2], vectorBytes: s.leaf(4).vectorBytes };
    expect(() => checkProofResponse({ leafIndices: want, proofs: bad, root, count: 30 })).toThrow(MmrProofError);
    // proofs made at another count do not lead to the committed root either
    expect(() => checkProofResponse({ leafIndices: [3, 17], proofs: entries(s, [3, 17], 29), root, count: 30 })).toThrow(MmrProofError);
  });
  it("rejects two verified artifacts with the same nonce", () => {
    // ArtifactMmr refuses repeats, so build the dishonest two-leaf MMR by hand: nonce 5 twice.
    const v1 = new Uint8Array(24).fill(1);
    const v2 = new Uint8Array(24).fill(2);
    const l1 = leafHash(5, v1);
    const l2 = leafHash(5, v2);
    const proofs = [{ leafIndex: 0, nonce: 5, vectorBytes: v1, proof: [l2] }, { leafIndex: 1, nonce: 5, vectorBytes: v2, proof: [l1] }];
    expect(() => checkProofResponse({ leafIndices: [0, 1], proofs, root: nodeHash(l1, l2), count: 2 })).toThrow(DuplicateNonceError);
  });
  it("rejects nonces spread 100 × wider than the count", () => {
    const w = new ArtifactMmr();
    w.append(1, new Uint8Array(24).fill(1));
    w.append(200, new Uint8Array(24).fill(2));
    expect(() => checkProofResponse({ leafIndices: [1], proofs: entries(w, [1]), root: w.root(), count: 2 })).toThrow(PorosityTooHighError);
    expect(() => checkProofResponse({ leafIndices: [0], proofs: entries(w, [0]), root: w.root(), count: 2 })).not.toThrow();
  });
});

describe("parseProofEntries: the JSON of POST /v1/poc/proofs", () => {
  const wire = V.go.proof_signing.response.proofs;
  it("decodes base64 vectors and hashes, numbers given as numbers or strings", () => {
    const p = parseProofEntries(wire.map((x: { leaf_index: number }, i: number) => (i === 0 ? { ...x, leaf_index: String(x.leaf_index) } : x)));
    expect(p[0]).toMatchObject({ leafIndex: 5, nonce: 11 });
    expect(Buffer.from(p[0].vectorBytes).toString()).toBe("abc");
    expect(p[0].proof[0].length).toBe(32);
    expect(p[1].nonce).toBe(-2);
  });
  it("rejects bad base64 and missing fields", () => {
    expect(() => parseProofEntries([{ ...wire[0], vector_bytes: "YWJ" }])).toThrow(InvalidEncodingError);
    expect(() => parseProofEntries([{ ...wire[0], proof: ["***"] }])).toThrow(InvalidEncodingError);
    expect(() => parseProofEntries([{ ...wire[0], nonce_value: undefined }])).toThrow(InvalidArgumentError);
    expect(() => parseProofEntries({})).toThrow(InvalidArgumentError);
  });
});
