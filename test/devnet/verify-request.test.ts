import { describe, expect, it } from "vitest";
import { hex } from "@scure/base";
import wire from "../fixtures/wire.json";
import { addressOfPubkey, verifyInferenceSignature } from "../../src/devnet/verify-request.js";

interface SigVector {
  privateKeyHex: string;
  requesterAddress: string;
  bodyUtf8: string;
  timestampNs: string;
  transferAddress: string;
  authorization: string;
}

const keys = (wire as unknown as { keys: { publicKeyHex: string; address: string }[] }).keys;
const sigs = (wire as unknown as { inferenceSignatures: SigVector[] }).inferenceSignatures;
const pubkeyOf = (address: string) => hex.decode(keys.find((k) => k.address === address)!.publicKeyHex);

describe("devnet transfer agent signature check", () => {
  it("derives every golden address from its pubkey", () => {
    for (const k of keys) expect(addressOfPubkey(hex.decode(k.publicKeyHex))).toBe(k.address);
  });

  it("accepts every golden inference signature under the hashed-body scheme", () => {
    expect(sigs.length).toBeGreaterThan(0);
    for (const v of sigs) {
      const scheme = verifyInferenceSignature({
        body: new TextEncoder().encode(v.bodyUtf8),
        timestampNs: v.timestampNs,
        transferAddress: v.transferAddress,
        signatureB64: v.authorization,
        pubkey: pubkeyOf(v.requesterAddress),
      });
      expect(scheme).toBe("phase3");
    }
  });

  it("rejects a changed body, timestamp or transfer agent", () => {
    const v = sigs[0]!;
    const base = {
      body: new TextEncoder().encode(v.bodyUtf8),
      timestampNs: v.timestampNs,
      transferAddress: v.transferAddress,
      signatureB64: v.authorization,
      pubkey: pubkeyOf(v.requesterAddress),
    };
    expect(verifyInferenceSignature({ ...base, body: new TextEncoder().encode(v.bodyUtf8 + " ") })).toBeNull();
    expect(verifyInferenceSignature({ ...base, timestampNs: (BigInt(v.timestampNs) + 1n).toString() })).toBeNull();
    expect(verifyInferenceSignature({ ...base, transferAddress: v.requesterAddress })).toBeNull();
    expect(verifyInferenceSignature({ ...base, signatureB64: "not base64!" })).toBeNull();
  });
});
