/**
 * Verification of a developer's signed inference request, as a transfer agent does it
 * (rest-apis.md §4.3, anchors.md §0): secp256k1 over SHA-256 of the payload, 64-byte compact
 * low-S signature in base64. Both payload schemes are accepted: the current one
 * (`hex(sha256(body)) ‖ timestamp ‖ TA`) and the older one (`body ‖ timestamp ‖ TA`).
 */
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
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

/** Which payload scheme a signature matched. */
export type SignatureScheme = "phase3" | "raw-body";

/**
 * Returns the scheme under which `signatureB64` is a valid signature of the request by `pubkey`,
 * or `null` when it is valid under neither. Delegates to `gonka-sdk/inference`'s verifier.
 */
export function verifyInferenceSignature(args: {
  body: Uint8Array;
  timestampNs: string;
  transferAddress: string;
  signatureB64: string;
  pubkey: Uint8Array;
}): SignatureScheme | null {
  if (!/^\d+$/.test(args.timestampNs)) return null;
  const common = { body: args.body, timestampNs: BigInt(args.timestampNs), transferAddress: args.transferAddress, authorization: args.signatureB64, publicKey: args.pubkey };
  if (verifyInferenceRequest({ ...common, scheme: "hashed-body" })) return "phase3";
  if (verifyInferenceRequest({ ...common, scheme: "raw-body" })) return "raw-body";
  return null;
}
