/**
 * Verification of signed requests as the network node does it (inference-flow.md §2.2, §4):
 * secp256k1 over SHA-256 of the payload, 64-byte compact low-S signature in base64. A transfer
 * agent accepts only the hashed-body scheme (`hex(sha256(body)) ‖ timestamp ‖ TA`) since v0.2.6;
 * raw-body signatures are refused (401).
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { base64 } from "@scure/base";
import { encodeAddress } from "../chain/index.js";
import { verifyInferenceRequest } from "../inference/index.js";

/**
 * Bech32 account address (`gonka1…`) of a 33-byte compressed secp256k1 pubkey. Unlike
 * `addressFromPublicKey` from `gonka-sdk/chain` it does not check the key's form (the devnet
 * answers malformed keys with its own errors).
 */
export function addressOfPubkey(pubkey: Uint8Array, prefix = "gonka"): string {
  return encodeAddress(ripemd160(sha256(pubkey)), prefix);
}

/** Which payload scheme a signature matched: only `"phase3"` (hashed body) is accepted today. */
export type SignatureScheme = "phase3";

/**
 * Returns `"phase3"` when `signatureB64` is a valid signature of the request by `pubkey` under
 * the current scheme, `null` otherwise (a raw-body signature from before v0.2.6 is `null` too).
 * Delegates to `gonka-sdk/inference`'s verifier.
 */
export function verifyInferenceSignature(args: {
  body: Uint8Array;
  timestampNs: string;
  transferAddress: string;
  signatureB64: string;
  pubkey: Uint8Array;
}): SignatureScheme | null {
  if (!/^\d+$/.test(args.timestampNs)) return null;
  const ok = verifyInferenceRequest({
    body: args.body,
    timestampNs: BigInt(args.timestampNs),
    transferAddress: args.transferAddress,
    authorization: args.signatureB64,
    publicKey: args.pubkey,
    scheme: "hashed-body",
  });
  return ok ? "phase3" : null;
}

/** Verifies a base64 64-byte low-S signature over `sha256(payload)` (the node's `VerifySignature`). */
export function verifyPayloadSignature(payload: Uint8Array, signatureB64: string, pubkey: Uint8Array): boolean {
  try {
    const sig = base64.decode(signatureB64);
    return sig.length === 64 && secp256k1.verify(sig, sha256(payload), pubkey, { prehash: false, lowS: true, format: "compact" });
  } catch {
    return false;
  }
}

/** Signs `sha256(payload)` (64-byte compact low-S, RFC 6979) and returns base64 — how the node signs. */
export function signPayload(payload: Uint8Array, privateKey: Uint8Array): string {
  return base64.encode(secp256k1.sign(sha256(payload), privateKey, { prehash: false, lowS: true, format: "compact" }));
}
