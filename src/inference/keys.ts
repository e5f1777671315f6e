/**
 * Requester keys: private-key parsing, the `{ address, sign }` signer shape, and bech32 addresses.
 *
 * The private key is kept in a closure. Nothing here puts key bytes into a message, a property
 * that `console.log` or `JSON.stringify` would show, or an error.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { bech32 } from "@scure/base";
import { InvalidArgumentError } from "../errors.js";
import { InferenceSigningError } from "./errors.js";

/** The bech32 prefix of Gonka account addresses. */
export const GONKA_ADDRESS_PREFIX = "gonka";

/** A private key: 32 raw bytes, or 64 hex digits (an optional `0x` prefix is accepted). */
export type PrivateKeyInput = Uint8Array | string;

/**
 * Anything that can sign inference requests: an address plus a secp256k1 signer. `sign(message)`
 * must return the 64-byte compact `r‖s` ECDSA signature over **`sha256(message)`** (the Cosmos SDK
 * convention, the same as `secp256k1.PubKey.VerifySignature` expects). A high-S signature is
 * normalised to low-S before use. A wallet from `gonka-sdk/chain` can be adapted to this shape.
 *
 * @example
 * ```ts
 * const signer: InferenceSigner = { address: "gonka1…", sign: (m) => hsm.signSha256(m) };
 * ```
 */
export interface InferenceSigner {
  /** The requester's bech32 account address (`gonka1…`). */
  readonly address: string;
  /** Signs `sha256(message)`; returns 64 bytes `r‖s`. */
  sign(message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** A signer created from a private key: synchronous, and it knows its public key. */
export interface PrivateKeySigner extends InferenceSigner {
  /** The 33-byte compressed secp256k1 public key. */
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/**
 * Turns a private key given as bytes or hex into 32 validated bytes (a copy).
 * Throws {@link InvalidArgumentError} describing the problem, never the value.
 */
export function parsePrivateKey(privateKey: PrivateKeyInput): Uint8Array {
  let bytes: Uint8Array;
  if (typeof privateKey === "string") {
    const hex = privateKey.startsWith("0x") || privateKey.startsWith("0X") ? privateKey.slice(2) : privateKey;
    if (!/^[0-9a-fA-F]*$/.test(hex)) {
      throw new InvalidArgumentError("privateKey", "a string private key must be hexadecimal");
    }
    if (hex.length !== 64) {
      throw new InvalidArgumentError("privateKey", `a hex private key has 64 digits, got ${hex.length}`);
    }
    bytes = new Uint8Array(32);
    for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  } else if (privateKey instanceof Uint8Array) {
    if (privateKey.length !== 32) {
      throw new InvalidArgumentError("privateKey", `a private key is 32 bytes, got ${privateKey.length}`);
    }
    bytes = Uint8Array.from(privateKey);
  } else {
    throw new InvalidArgumentError("privateKey", "expected a Uint8Array or a hex string");
  }
  if (!secp256k1.utils.isValidSecretKey(bytes)) {
    bytes.fill(0);
    throw new InvalidArgumentError("privateKey", "not a valid secp256k1 secret key (zero or not below the curve order)");
  }
  return bytes;
}

/**
 * The bech32 account address of a compressed secp256k1 public key:
 * `bech32(prefix, ripemd160(sha256(publicKey)))`.
 *
 * @example
 * ```ts
 * addressFromPublicKey(hexToBytes("024daacc…2dd2")); // "gonka1k4swv40ur28fvu54p8mskjj4lxkgsj07u9f8ny"
 * ```
 */
export function addressFromPublicKey(publicKey: Uint8Array, prefix: string = GONKA_ADDRESS_PREFIX): string {
  if (publicKey.length !== 33) {
    throw new InvalidArgumentError("publicKey", `a compressed secp256k1 public key is 33 bytes, got ${publicKey.length}`);
  }
  return bech32.encode(prefix, bech32.toWords(ripemd160(sha256(publicKey))));
}

/**
 * Creates a {@link PrivateKeySigner}. The key is copied into a closure; the returned object has
 * only `address`, `publicKey` and `sign`, so logging or serialising it shows no key material.
 *
 * @example
 * ```ts
 * const signer = signerFromPrivateKey(process.env.GONKA_PRIVATE_KEY!);
 * signer.address; // "gonka1…"
 * ```
 */
export function signerFromPrivateKey(privateKey: PrivateKeyInput, prefix: string = GONKA_ADDRESS_PREFIX): PrivateKeySigner {
  const secret = parsePrivateKey(privateKey);
  const publicKey = secp256k1.getPublicKey(secret, true);
  const address = addressFromPublicKey(publicKey, prefix);
  const sign = (message: Uint8Array): Uint8Array => signSha256(secret, message);
  return Object.freeze({ address, publicKey, sign });
}

/**
 * Signs `sha256(message)` with a parsed 32-byte secret: 64 bytes `r‖s`, RFC 6979, low-S.
 * @internal
 */
export function signSha256(secret: Uint8Array, message: Uint8Array): Uint8Array {
  try {
    return secp256k1.sign(sha256(message), secret, { prehash: false, lowS: true, format: "compact" });
  } catch {
    // The library's message could in principle describe its inputs; never pass it on.
    throw new InferenceSigningError("secp256k1 signing failed");
  }
}
