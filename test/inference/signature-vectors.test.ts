import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import {
  addressFromPublicKey,
  formatTimestampNs,
  inferenceSignaturePayload,
  signerFromPrivateKey,
  signInferenceRequest,
  verifyInferenceRequest,
} from "../../src/inference/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { LegacySignatureSchemeError } from "../../src/inference/index.js";
import { keyVectors, requester, signatureVectors } from "./fixtures.js";
import { opensslPayload, opensslVerify, toHighS } from "./openssl-verify.js";

const dec = new TextDecoder();

describe("inference signature golden vectors", () => {
  it.each(signatureVectors.map((v, i) => [i, v] as const))("vector %i: payload and Authorization reproduce exactly", (_i, v) => {
    const args = { body: v.bodyUtf8, timestampNs: BigInt(v.timestampNs), transferAddress: v.transferAddress };
    expect(dec.decode(inferenceSignaturePayload(args))).toBe(v.signedString);
    expect(signInferenceRequest({ ...args, privateKey: v.privateKeyHex })).toBe(v.authorization);
    // the same from bytes, from a string timestamp, from a Uint8Array body
    expect(
      signInferenceRequest({
        privateKey: Buffer.from(v.privateKeyHex, "hex"),
        body: new TextEncoder().encode(v.bodyUtf8),
        timestampNs: v.timestampNs,
        transferAddress: v.transferAddress,
      }),
    ).toBe(v.authorization);
  });

  it.each(signatureVectors.map((v, i) => [i, v] as const))("vector %i: OpenSSL verifies it against the requester's public key", (_i, v) => {
    expect(opensslPayload({ body: v.bodyUtf8, timestampNs: v.timestampNs, transferAddress: v.transferAddress }).toString("latin1")).toBe(
      v.signedString,
    );
    expect(opensslVerify({ ...v, body: v.bodyUtf8, publicKey: requester.publicKeyHex })).toBe(true);
    expect(verifyInferenceRequest({ ...v, body: v.bodyUtf8, publicKey: requester.publicKeyBase64 })).toBe(true);
  });

  it("a signer object gives the same Authorization as the private key", async () => {
    const v = signatureVectors[0]!;
    const signer = signerFromPrivateKey(v.privateKeyHex);
    expect(signer.address).toBe(v.requesterAddress);
    const auth = await signInferenceRequest({ signer, body: v.bodyUtf8, timestampNs: v.timestampNs, transferAddress: v.transferAddress });
    expect(auth).toBe(v.authorization);
  });

  it.each(keyVectors.map((k) => [k.address, k] as const))("address of %s derives from its public key", (_a, k) => {
    const signer = signerFromPrivateKey(k.privateKeyHex);
    expect(Buffer.from(signer.publicKey).toString("hex")).toBe(k.publicKeyHex);
    expect(signer.address).toBe(k.address);
    expect(addressFromPublicKey(Buffer.from(k.publicKeyHex, "hex"))).toBe(k.address);
  });
});

describe("inference signatures against OpenSSL on random inputs", () => {
  it("200 random bodies/timestamps/keys verify in OpenSSL with 64-byte low-S signatures (and never as raw-body)", () => {
    for (let i = 0; i < 200; i++) {
      const key = randomBytes(32);
      const signer = signerFromPrivateKey(key);
      const body = randomBytes(i % 7 === 0 ? 0 : 1 + (i * 37) % 300);
      const timestampNs = 1_700_000_000_000_000_000n + BigInt(i) * 7919n;
      const transferAddress = keyVectors[i % keyVectors.length]!.address;
      const authorization = signInferenceRequest({ privateKey: key, body, timestampNs, transferAddress, ...(i % 2 ? { scheme: "hashed-body" as const } : {}) });
      expect(Buffer.from(authorization, "base64")).toHaveLength(64);
      expect(opensslVerify({ authorization, body, timestampNs, transferAddress, publicKey: signer.publicKey, scheme: "hashed-body" })).toBe(true);
      // the removed scheme's payload must not verify
      expect(opensslVerify({ authorization, body, timestampNs, transferAddress, publicKey: signer.publicKey, scheme: "raw-body" })).toBe(false);
    }
  });

  it("verifyInferenceRequest rejects a changed body, timestamp, TA, key, and a high-S signature", () => {
    const v = signatureVectors[0]!;
    const base = { authorization: v.authorization, body: v.bodyUtf8, timestampNs: v.timestampNs, transferAddress: v.transferAddress, publicKey: requester.publicKeyHex };
    expect(verifyInferenceRequest(base)).toBe(true);
    expect(verifyInferenceRequest({ ...base, body: v.bodyUtf8 + " " })).toBe(false);
    expect(verifyInferenceRequest({ ...base, timestampNs: BigInt(v.timestampNs) + 1n })).toBe(false);
    expect(verifyInferenceRequest({ ...base, transferAddress: requester.address })).toBe(false);
    expect(verifyInferenceRequest({ ...base, publicKey: keyVectors[1]!.publicKeyHex })).toBe(false);
    expect(() => verifyInferenceRequest({ ...base, scheme: "raw-body" })).toThrow(LegacySignatureSchemeError);
    const high = Buffer.from(toHighS(Buffer.from(v.authorization, "base64"))).toString("base64");
    expect(verifyInferenceRequest({ ...base, authorization: high })).toBe(false);
    expect(opensslVerify({ ...base, authorization: high })).toBe(false);
    expect(verifyInferenceRequest({ ...base, authorization: "not base64!" })).toBe(false);
  });

  it("a signer that returns a high-S signature is normalised to low-S", async () => {
    const v = signatureVectors[0]!;
    const real = signerFromPrivateKey(v.privateKeyHex);
    const highSigner = { address: real.address, sign: async (m: Uint8Array) => toHighS(real.sign(m)) };
    const auth = await signInferenceRequest({ signer: highSigner, body: v.bodyUtf8, timestampNs: v.timestampNs, transferAddress: v.transferAddress });
    expect(auth).toBe(v.authorization);
  });
});

describe("timestamps in the payload", () => {
  it("accepts bigint, decimal strings and safe integers; rejects the rest", () => {
    expect(formatTimestampNs(1763726400123456789n)).toBe("1763726400123456789");
    expect(formatTimestampNs("1763726400123456789")).toBe("1763726400123456789");
    expect(formatTimestampNs(123)).toBe("123");
    expect(() => formatTimestampNs(1.7637264001234568e18)).toThrow(InvalidArgumentError);
    expect(() => formatTimestampNs(0n)).toThrow(/positive/);
    expect(() => formatTimestampNs("-5")).toThrow(InvalidArgumentError);
    expect(() => formatTimestampNs("12e3")).toThrow(InvalidArgumentError);
  });
});
