import { bech32 } from "@scure/base";
import { sha256 } from "@noble/hashes/sha2.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { InvalidAddressError } from "./errors.js";

/** Bech32 prefix of Gonka account addresses. */
export const ACCOUNT_PREFIX = "gonka";
/** Bech32 prefix of Gonka validator operator addresses. */
export const VALOPER_PREFIX = "gonkavaloper";
/** Bech32 prefix of Gonka consensus addresses. */
export const VALCONS_PREFIX = "gonkavalcons";

/**
 * Decodes a bech32 string and checks its prefix; returns the raw address bytes.
 *
 * @example
 * ```ts
 * const bytes = decodeAddress("gonka1k4swv40ur28fvu54p8mskjj4lxkgsj07u9f8ny"); // 20 bytes
 * ```
 * @throws {InvalidAddressError} on a bad checksum, mixed case, wrong prefix or length.
 */
export function decodeAddress(address: string, prefix: string = ACCOUNT_PREFIX, argument = "address"): Uint8Array {
  if (typeof address !== "string" || address.length === 0) {
    throw new InvalidAddressError(argument, "expected a non-empty bech32 string");
  }
  let decoded: { prefix: string; words: number[] };
  try {
    decoded = bech32.decode(address as `${string}1${string}`, 90);
  } catch (e) {
    const problem = /checksum/i.test(String(e)) ? "bech32 checksum is invalid" : "not a valid bech32 string";
    throw new InvalidAddressError(argument, problem, {
      details: `Expected an address like ${prefix}1…`,
    });
  }
  if (decoded.prefix !== prefix) {
    throw new InvalidAddressError(argument, `prefix is "${decoded.prefix}", expected "${prefix}"`);
  }
  const bytes = bech32.fromWords(decoded.words);
  if (bytes.length !== 20 && bytes.length !== 32) {
    throw new InvalidAddressError(argument, `decodes to ${bytes.length} bytes, expected 20 or 32`);
  }
  return bytes;
}

/** Encodes raw address bytes with a bech32 prefix (`gonka` by default). */
export function encodeAddress(bytes: Uint8Array, prefix: string = ACCOUNT_PREFIX): string {
  return bech32.encode(prefix, bech32.toWords(bytes), 90);
}

/** True when `address` is valid bech32 with the given prefix. */
export function isAddress(address: string, prefix: string = ACCOUNT_PREFIX): boolean {
  try {
    decodeAddress(address, prefix);
    return true;
  } catch {
    return false;
  }
}

/**
 * Account address of a compressed secp256k1 public key: bech32("gonka", ripemd160(sha256(pubkey))).
 *
 * @example
 * ```ts
 * addressFromPublicKey(wallet.publicKey) === wallet.address; // true
 * ```
 */
export function addressFromPublicKey(publicKey: Uint8Array, prefix: string = ACCOUNT_PREFIX): string {
  if (publicKey.length !== 33 || (publicKey[0] !== 2 && publicKey[0] !== 3)) {
    throw new InvalidAddressError("publicKey", `expected a 33-byte compressed secp256k1 key, got ${publicKey.length} bytes`);
  }
  return encodeAddress(ripemd160(sha256(publicKey)), prefix);
}

/** The validator operator address (`gonkavaloper1…`) with the same bytes as an account address. */
export function toValoperAddress(accountAddress: string): string {
  return encodeAddress(decodeAddress(accountAddress, ACCOUNT_PREFIX), VALOPER_PREFIX);
}

/** The account address (`gonka1…`) with the same bytes as a validator operator address. */
export function fromValoperAddress(valoper: string): string {
  return encodeAddress(decodeAddress(valoper, VALOPER_PREFIX, "validatorAddress"), ACCOUNT_PREFIX);
}

/**
 * Address of a module account: the first 20 bytes of sha256(moduleName).
 *
 * @example
 * ```ts
 * moduleAddress("gov"); // "gonka10d07y265gmmuvt4z0w9aw880jnsr700j2h5m33"
 * ```
 */
export function moduleAddress(moduleName: string): string {
  return encodeAddress(sha256(new TextEncoder().encode(moduleName)).slice(0, 20));
}

/** The gov module account, the `authority` of every `MsgUpdateParams`. */
export const GOV_MODULE_ADDRESS = "gonka10d07y265gmmuvt4z0w9aw880jnsr700j2h5m33";
