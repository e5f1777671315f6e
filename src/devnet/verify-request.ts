/**
 * Verification of a developer's signed inference request, as a transfer agent does it
 * (rest-apis.md §4.3, anchors.md §0): secp256k1 over SHA-256 of the payload, 64-byte compact
 * low-S signature in base64. Both payload schemes are accepted: the current one
 * (`hex(sha256(body)) ‖ timestamp ‖ TA`) and the older one (`body ‖ timestamp ‖ TA`).
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { base64, bech32, hex } from "@scure/base";

/** Bech32 account address (`gonka1…`) of a 33-byte compressed secp256k1 pubkey. */
export function addressOfPubkey(pubkey: Uint8Array, prefix = "gonka"): string {
  return bech32.encode(prefix, bech32.toWords(ripemd160(sha256(pubkey))));
}

/** Which payload scheme a signature matched. */
export type SignatureScheme = "phase3" | "raw-body";

/**
 * Returns the scheme under which `signatureB64` is a valid signature of the request by `pubkey`,
 * or `null` when it is valid under neither.
 */
export function verifyInferenceSignature(args: {
  body: Uint8Array;
  timestampNs: string;
  transferAddress: string;
  signatureB64: string;
  pubkey: Uint8Array;
}): SignatureScheme | null {
  let sig: Uint8Array;
  try {
    sig = base64.decode(args.signatureB64);
  } catch {
    return null;
  }
  if (sig.length !== 64) return null;
  const suffix = new TextEncoder().encode(args.timestampNs + args.transferAddress);
  const phase3 = new Uint8Array([...new TextEncoder().encode(hex.encode(sha256(args.body))), ...suffix]);
  const raw = new Uint8Array([...args.body, ...suffix]);
  const ok = (msg: Uint8Array): boolean => {
    try {
      return secp256k1.verify(sig, sha256(msg), args.pubkey, { prehash: false, lowS: true });
    } catch {
      return false;
    }
  };
  if (ok(phase3)) return "phase3";
  if (ok(raw)) return "raw-body";
  return null;
}
