/**
 * Armored private keys as `inferenced keys export` / `keys import` write and read them:
 * `TENDERMINT PRIVATE KEY` blocks whose body is the amino private key sealed with
 * ChaCha20-Poly1305 under an Argon2id key (`kdf: argon2`, today) or with NaCl secretbox under
 * SHA-256 of a bcrypt string (`kdf: bcrypt`, before cosmos-sdk v0.50; import only).
 * Primitives: @noble/hashes (argon2id, sha256), @noble/ciphers, bcryptjs.
 */
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { argon2idAsync } from "@noble/hashes/argon2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import bcrypt from "bcryptjs";
import { InvalidArgumentError } from "../../errors.js";
import { walletFromPrivateKey } from "../keys.js";
import { ArmorError } from "./errors.js";
import { decodeArmor, encodeArmor } from "./openpgp-armor.js";

/** Block type of an armored private key. */
export const PRIVATE_KEY_BLOCK = "TENDERMINT PRIVATE KEY";
/** Argon2id parameters of `keys export` (time 1, 64 MiB, 4 lanes, 32-byte key, version 0x13). */
export const ARMOR_ARGON2 = { t: 1, m: 65536, p: 4, dkLen: 32, version: 0x13 } as const;
/** bcrypt cost of the older (`kdf: bcrypt`) exports. */
export const ARMOR_BCRYPT_COST = 12;

const AMINO_SECP256K1_PRIVKEY = Uint8Array.of(0xe1, 0xb0, 0xf7, 0x9b, 0x20);
const utf8 = new TextEncoder();

/** A private key read from an armor. */
export interface ImportedPrivateKey {
  /** The 32-byte private key. Treat it as a secret. */
  privateKey: Uint8Array;
  /** The key algorithm (from the decrypted key's amino prefix). */
  algo: "secp256k1";
}

/** Options of {@link exportArmoredPrivateKey}. */
export interface ExportArmorOptions {
  /** The 16-byte salt (default: random). Only for reproducing a known armor. */
  salt?: Uint8Array;
}

/**
 * Armors a secp256k1 private key as `inferenced keys export` does (kdf `argon2`, a fresh 16-byte
 * salt, ChaCha20-Poly1305 with the all-zero nonce). `inferenced keys import NAME FILE` reads the
 * result. Takes about 0.7 s (Argon2id over 64 MiB).
 *
 * @example
 * ```ts
 * const armor = await exportArmoredPrivateKey(wallet.exportPrivateKey(), "a long passphrase");
 * ```
 * @throws {InvalidPrivateKeyError} for a key that is not 32 valid bytes.
 * @throws {InvalidArgumentError} for a passphrase shorter than 8 bytes (the network CLI's rule).
 */
export async function exportArmoredPrivateKey(privateKey: Uint8Array | string, passphrase: string, options: ExportArmorOptions = {}): Promise<string> {
  if (typeof passphrase !== "string" || utf8.encode(passphrase).length < 8) throw new InvalidArgumentError("passphrase", "the passphrase of an export must be at least 8 bytes");
  const key = walletFromPrivateKey(privateKey).exportPrivateKey();
  const salt = options.salt ?? randomBytes(16);
  if (salt.length !== 16) throw new InvalidArgumentError("salt", `is ${salt.length} bytes, expected 16`);
  const kdfKey = await argon2idAsync(utf8.encode(passphrase), salt, ARMOR_ARGON2);
  const plain = new Uint8Array(37);
  plain.set(AMINO_SECP256K1_PRIVKEY, 0);
  plain.set(key, 5);
  const body = chacha20poly1305(kdfKey, new Uint8Array(12)).encrypt(plain);
  plain.fill(0);
  key.fill(0);
  kdfKey.fill(0);
  return encodeArmor({ blockType: PRIVATE_KEY_BLOCK, headers: { kdf: "argon2", salt: hexUpper(salt), type: "secp256k1" }, data: body });
}

/**
 * Reads an armored private key made by `inferenced keys export` (kdf `argon2`) or by an older
 * cosmos-sdk (kdf `bcrypt`). Text before the armor is skipped.
 *
 * @example
 * ```ts
 * const { privateKey } = await importArmoredPrivateKey(readFileSync("cold.armor", "utf8"), passphrase);
 * const wallet = walletFromPrivateKey(privateKey);
 * ```
 * @throws {ArmorError} for a damaged armor (`format`, `checksum`), a public-key or other block
 * (`block-type`), an unknown kdf (`kdf`), a missing salt (`salt`), a wrong passphrase or an
 * altered body (`passphrase`), or a key type other than secp256k1 (`key-type`).
 */
export async function importArmoredPrivateKey(armor: string, passphrase: string): Promise<ImportedPrivateKey> {
  if (typeof armor !== "string") throw new InvalidArgumentError("armor", "expected the armored text");
  if (typeof passphrase !== "string") throw new InvalidArgumentError("passphrase", "expected a string");
  const block = decodeArmor(armor);
  if (block.blockType !== PRIVATE_KEY_BLOCK) throw new ArmorError("block-type", `the block is ${JSON.stringify(block.blockType)}, expected ${JSON.stringify(PRIVATE_KEY_BLOCK)}`);
  const saltHex = block.headers.salt;
  if (!saltHex) throw new ArmorError("salt", "the armor has no salt header");
  if (!/^([0-9a-fA-F]{2})+$/.test(saltHex)) throw new ArmorError("salt", "the salt header is not hex");
  const salt = Uint8Array.from(saltHex.match(/../g)!.map((h) => parseInt(h, 16)));
  const kdf = block.headers.kdf ?? "";
  let plain: Uint8Array;
  if (kdf === "argon2") {
    const key = await argon2idAsync(utf8.encode(passphrase), salt, ARMOR_ARGON2);
    try {
      plain = chacha20poly1305(key, new Uint8Array(12)).decrypt(block.data);
    } catch {
      throw wrongPassphrase();
    } finally {
      key.fill(0);
    }
  } else if (kdf === "bcrypt") {
    if (salt.length !== 16) throw new ArmorError("salt", `the bcrypt salt is ${salt.length} bytes, expected 16`);
    const hashed = await bcrypt.hash(passphrase, `$2a$${ARMOR_BCRYPT_COST}$${bcrypt.encodeBase64(salt, 16)}`);
    const key = sha256(utf8.encode(hashed));
    if (block.data.length < 24 + 16) throw wrongPassphrase();
    try {
      plain = xsalsa20poly1305(key, block.data.subarray(0, 24)).decrypt(block.data.subarray(24));
    } catch {
      throw wrongPassphrase();
    } finally {
      key.fill(0);
    }
  } else {
    throw new ArmorError("kdf", `unknown kdf ${JSON.stringify(kdf)} (expected "argon2" or "bcrypt")`);
  }
  const isSecp = plain.length === 37 && AMINO_SECP256K1_PRIVKEY.every((b, i) => plain[i] === b);
  if (!isSecp) {
    plain.fill(0);
    throw new ArmorError("key-type", "the decrypted key is not a secp256k1 private key (the only type Gonka accounts use)");
  }
  const privateKey = plain.slice(5);
  plain.fill(0);
  return { privateKey, algo: "secp256k1" };
}

function wrongPassphrase(): ArmorError {
  return new ArmorError("passphrase", "the passphrase is wrong (or the armor body was altered)", {
    details: "Use the passphrase given to `keys export` for this armor.",
  });
}

function hexUpper(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s.toUpperCase();
}
