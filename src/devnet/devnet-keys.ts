/**
 * Deterministic keys of the devnet's own participant (its transfer agent / executor and
 * validator). Devnet-only: derived from public strings, never use them for real funds.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { base64 } from "@scure/base";
import { addressOfPubkey } from "./verify-request.js";

/** The devnet participant's public identity. */
export interface DevnetIdentity {
  /** secp256k1 account private key (devnet only). */
  accountKey: Uint8Array;
  /** Compressed account pubkey. */
  accountPubkey: Uint8Array;
  /** `gonka1…` address. */
  address: string;
  /** Base64 ED25519 consensus pubkey. */
  validatorKey: string;
}

/** Derives the devnet participant's keys from a seed label. */
export function devnetIdentity(label = "gonka-devnet-participant"): DevnetIdentity {
  const accountKey = sha256(new TextEncoder().encode(`${label}/account`));
  const accountPubkey = secp256k1.getPublicKey(accountKey, true);
  const consensus = sha256(new TextEncoder().encode(`${label}/consensus`));
  return {
    accountKey,
    accountPubkey,
    address: addressOfPubkey(accountPubkey),
    validatorKey: base64.encode(ed25519.getPublicKey(consensus)),
  };
}
