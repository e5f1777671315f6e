/**
 * The proof route's signing payloads (go.proof_signing), signing and verifying them with a
 * secp256k1 key, the callback URLs (go.callback_urls) with Go's url.PathEscape, the nonce
 * schedule (spec §6) and the mainnet model data (spec §15).
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors.js";
import {
  generationBatch, generationNonce, goPathEscape, goPathUnescape, modelIdFromCallbackSegment, POC_V2_MAINNET_MODELS, POC_V2_MAINNET_PARAMS,
  pocCallbackUrl, pocV2Model, proofRequestSignBytes, proofResponseSignBytes, signProofRequest, signProofResponse,
  verifyProofRequestSignature, verifyProofResponseSignature,
} from "../../../src/poc/v2/index.js";
import { hex, V } from "./fixtures.js";

const R = V.go.proof_signing.request;
const P = V.go.proof_signing.response;
const request = {
  pocStageStartBlockHeight: R.poc_stage_start_block_height, modelId: R.model_id, rootHash: hex(R.root_hash), count: R.count,
  leafIndices: R.leaf_indices, timestamp: BigInt(R.timestamp), validatorAddress: R.validator_address, validatorSignerAddress: R.validator_signer_address,
};
const response = {
  pocStageStartBlockHeight: P.poc_stage_start_block_height, modelId: P.model_id, rootHash: hex(P.root_hash), count: P.count,
  proofs: P.proofs.map((p: { leaf_index: number; nonce_value: number; vector_bytes: string; proof: string[] }) => ({ leafIndex: p.leaf_index, nonceValue: p.nonce_value, vectorBytes: p.vector_bytes, proof: p.proof })),
  timestamp: BigInt(P.timestamp), signerAddress: P.signer_address,
};

describe("proof request / response sign bytes", () => {
  it("request: the ASCII hex of its SHA-256", () => {
    expect(Buffer.from(proofRequestSignBytes(request)).toString("ascii")).toBe(R.signed_bytes_ascii);
  });
  it("response: the ASCII hex over the proofs' base64 texts", () => {
    expect(Buffer.from(proofResponseSignBytes(response)).toString("ascii")).toBe(P.signed_bytes_ascii);
  });
  it("the timestamp is nanoseconds beyond 2^53: a bigint signs it, a rounded number is refused", () => {
    expect(R.timestamp).toBe("1767225600123456789");
    expect(() => proofRequestSignBytes({ ...request, timestamp: Number(R.timestamp) })).toThrow(/integer/);
    expect(Buffer.from(proofRequestSignBytes({ ...request, timestamp: BigInt(R.timestamp) + 1n })).toString("ascii")).not.toBe(R.signed_bytes_ascii);
  });
  it("rejects a root that is not 32 bytes and indices outside uint32", () => {
    expect(() => proofRequestSignBytes({ ...request, rootHash: new Uint8Array(31) })).toThrow(InvalidArgumentError);
    expect(() => proofRequestSignBytes({ ...request, leafIndices: [2 ** 32] })).toThrow(InvalidArgumentError);
  });
});

describe("signing with an account key (sha256 prehash, 64-byte r‖s, low-S)", () => {
  const priv = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
  const pub = secp256k1.getPublicKey(priv, true);
  const signer = { signBytes: (b: Uint8Array): Uint8Array => secp256k1.sign(b, priv, { prehash: true, lowS: true }) };
  it("a signed request verifies; a changed field or another key does not", async () => {
    const sig = await signProofRequest(signer, request);
    expect(Buffer.from(sig, "base64").length).toBe(64);
    expect(verifyProofRequestSignature(request, sig, pub)).toBe(true);
    expect(verifyProofRequestSignature({ ...request, count: 999 }, sig, pub)).toBe(false);
    expect(verifyProofRequestSignature(request, sig, secp256k1.getPublicKey(Uint8Array.from({ length: 32 }, () => 9), true))).toBe(false);
    expect(verifyProofRequestSignature(request, "bad!", pub)).toBe(false);
  });
  it("a signed response verifies", async () => {
    const sig = await signProofResponse(signer, response);
    expect(verifyProofResponseSignature(response, sig, pub)).toBe(true);
    expect(verifyProofResponseSignature({ ...response, signerAddress: "gonka1other" }, sig, pub)).toBe(false);
  });
  it("rejects a signer without signBytes", async () => {
    await expect(signProofRequest({} as never, request)).rejects.toThrow(InvalidArgumentError);
  });
});

describe("callback URLs (model id path-escaped twice)", () => {
  for (const c of V.go.callback_urls) {
    it(`${c.model_id}`, () => {
      expect(pocCallbackUrl("http://api:9100", c.model_id)).toBe(c.generation_url);
      expect(pocCallbackUrl("http://api:9100/", c.model_id)).toBe(c.validation_url);
      expect(modelIdFromCallbackSegment(c.generation_url.split("/").pop() as string)).toBe(c.model_id);
    });
  }
  // Printed by Go 1.19.8's url.PathEscape.
  const go: [string, string][] = [
    ["x?y;z,w", "x%3Fy%3Bz%2Cw"],
    ["$&+:=@!'()*~._-", "$&+:=@%21%27%28%29%2A~._-"],
    ["ünï/Ω", "%C3%BCn%C3%AF%2F%CE%A9"],
    ["#[]{}|\\^\"<>`", "%23%5B%5D%7B%7D%7C%5C%5E%22%3C%3E%60"],
  ];
  for (const [s, e] of go) {
    it(`goPathEscape(${JSON.stringify(s)}) = Go's ${e}`, () => {
      expect(goPathEscape(s)).toBe(e);
      expect(goPathUnescape(e)).toBe(s);
    });
  }
  it("rejects a malformed escape", () => {
    expect(() => goPathUnescape("a%2")).toThrow(InvalidArgumentError);
    expect(() => goPathUnescape("a%zz")).toThrow(/invalid URL escape/);
  });
});

describe("nonce schedule", () => {
  it("2 MLNodes, 1 backend each → node_count 3: node 1 makes 1, 4, 7; node 2 makes 2, 5, 8", () => {
    expect([0, 1, 2].map((i) => generationNonce({ nodeId: 1, nodeCount: 3 }, i))).toEqual([1, 4, 7]);
    expect([0, 1, 2].map((i) => generationNonce({ nodeId: 2, nodeCount: 3 }, i))).toEqual([2, 5, 8]);
  });
  it("backends of one MLNode interleave without overlap", () => {
    const a = generationBatch({ nodeId: 1, nodeCount: 3, groupId: 0, nGroups: 2 }, 0, 4);
    const b = generationBatch({ nodeId: 1, nodeCount: 3, groupId: 1, nGroups: 2 }, 0, 4);
    expect(a).toEqual([1, 7, 13, 19]);
    expect(b).toEqual([4, 10, 16, 22]);
    expect(() => generationNonce({ nodeId: 3, nodeCount: 3 }, 0)).toThrow(InvalidArgumentError);
  });
});

describe("mainnet model data", () => {
  it("the three models with their stat tests (spec §11.4 / §15)", () => {
    expect(POC_V2_MAINNET_MODELS.map((m) => [m.modelId, m.hiddenSize, m.statTest.distThreshold])).toEqual([
      ["Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", 4096, 0.2],
      ["moonshotai/Kimi-K2.6", 7168, 0.4],
      ["MiniMaxAI/MiniMax-M2.7", 3072, 0.75],
    ]);
    expect(pocV2Model("moonshotai/Kimi-K2.6")?.layers).toBe(61);
    expect(pocV2Model("nope")).toBeUndefined();
    expect(POC_V2_MAINNET_PARAMS.validationSampleSize).toBe(200);
    expect(Object.isFrozen(POC_V2_MAINNET_MODELS[0])).toBe(true);
  });
});
