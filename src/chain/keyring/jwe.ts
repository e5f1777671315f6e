/**
 * The JWE compact tokens of the `file`/`test` keyring (jose2go as 99designs/keyring calls it):
 * `PBES2-HS256+A128KW` key wrapping (PBKDF2-HMAC-SHA-256 → AES key wrap of a random 256-bit
 * content key) and `A256GCM` content encryption with the protected header as additional data.
 * Only the format glue lives here; the primitives are @noble/hashes and @noble/ciphers.
 */
import { aeskw, gcm } from "@noble/ciphers/aes.js";
import { pbkdf2Async } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes as nobleRandomBytes } from "@noble/hashes/utils.js";
import { pbkdf2 as webPbkdf2, sha256 as webSha256 } from "@noble/hashes/webcrypto.js";
import { base64urlnopad } from "@scure/base";
import { KeyringItemError } from "./errors.js";

/** The only key-management algorithm 99designs/keyring writes. */
export const JWE_ALG = "PBES2-HS256+A128KW";
/** The only content encryption 99designs/keyring writes. */
export const JWE_ENC = "A256GCM";
/** PBKDF2 iterations jose2go uses by default (99designs passes none). */
export const JWE_P2C = 8192;
/** The largest `p2c` jose2go v1.6.0 accepts for PBES2-HS256+A128KW. */
export const JWE_MAX_P2C = 1_300_000;

const ascii = new TextEncoder();

/** Options of {@link encryptJwe}; the defaults are what the network CLI writes. */
export interface EncryptJweOptions {
  /** The header's `created` member (default: now, in Go's `time.Time.String()` form, UTC). */
  created?: string;
  /** Random source (tests pass fixed bytes); drawn in jose2go's order: p2s 12, CEK 32, IV 12. */
  randomBytes?: (n: number) => Uint8Array;
  /** PBKDF2 iterations (default 8192). */
  p2c?: number;
}

/**
 * The time as Go's `time.Time.String()` prints it in UTC, without the monotonic reading:
 * `2026-11-30 01:07:12.278 +0000 UTC` (fraction without trailing zeros).
 */
export function goTimeString(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const ms = date.getUTCMilliseconds();
  const frac = ms ? `.${p(ms, 3).replace(/0+$/, "")}` : "";
  return `${p(date.getUTCFullYear(), 4)}-${p(date.getUTCMonth() + 1)}-${p(date.getUTCDate())} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}${frac} +0000 UTC`;
}

/**
 * The 16-byte key-encryption key of PBES2-HS256+A128KW (RFC 7518 §4.8): PBKDF2-HMAC-SHA-256 of the
 * password over `"PBES2-HS256+A128KW" ‖ 0x00 ‖ p2s`. WebCrypto's native PBKDF2 when present.
 */
export async function deriveJweKek(password: string, p2s: Uint8Array, p2c: number): Promise<Uint8Array> {
  const alg = ascii.encode(JWE_ALG);
  const salt = new Uint8Array(alg.length + 1 + p2s.length);
  salt.set(alg, 0);
  salt.set(p2s, alg.length + 1);
  const pass = ascii.encode(password);
  try {
    if (globalThis.crypto?.subtle) return await webPbkdf2(webSha256, pass, salt, { c: p2c, dkLen: 16 });
  } catch {
    // fall through to the pure-JS implementation
  }
  return pbkdf2Async(sha256, pass, salt, { c: p2c, dkLen: 16 });
}

/**
 * Encrypts `payload` into a JWE compact token exactly as jose2go does for 99designs/keyring:
 * header `{"alg","created","enc","p2c","p2s"}` (keys in byte order, no whitespace), fresh p2s, CEK
 * and IV per token.
 *
 * @example
 * ```ts
 * const token = await encryptJwe(encodeItem({ key: "alice.info", data: record }), password);
 * ```
 */
export async function encryptJwe(payload: Uint8Array, password: string, options: EncryptJweOptions = {}): Promise<string> {
  const random = options.randomBytes ?? nobleRandomBytes;
  const p2c = options.p2c ?? JWE_P2C;
  const p2s = random(12);
  const cek = random(32);
  const iv = random(12);
  const header = JSON.stringify({
    alg: JWE_ALG,
    created: options.created ?? goTimeString(new Date()),
    enc: JWE_ENC,
    p2c,
    p2s: base64urlnopad.encode(p2s),
  }).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const protectedB64 = base64urlnopad.encode(ascii.encode(header));
  const kek = await deriveJweKek(password, p2s, p2c);
  const wrapped = aeskw(kek).encrypt(cek);
  const sealed = gcm(cek, iv, ascii.encode(protectedB64)).encrypt(payload);
  cek.fill(0);
  kek.fill(0);
  const ct = sealed.subarray(0, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  return [protectedB64, base64urlnopad.encode(wrapped), base64urlnopad.encode(iv), base64urlnopad.encode(ct), base64urlnopad.encode(tag)].join(".");
}

/** The parts of a JWE token, decoded but not decrypted. */
export interface ParsedJwe {
  /** The first segment as it appears in the token (the AAD). */
  protectedB64: string;
  header: Record<string, unknown>;
  p2c: number;
  p2s: Uint8Array;
  encryptedKey: Uint8Array;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

/**
 * Splits and checks a token the way jose2go v1.6.0 does before it derives any key.
 *
 * @throws {KeyringItemError} with problem `encoding`, `segments`, `header` or `p2c`.
 */
export function parseJwe(token: string, file: string): ParsedJwe {
  const text = token.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
  const parts = text.split(".");
  const decoded = parts.map((part, i) => decodeSegment(part, i, file));
  if (parts.length !== 5) throw new KeyringItemError(file, "segments", `a JWE has 5 dot-separated segments, this file has ${parts.length}`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(decoded[0]));
  } catch {
    throw new KeyringItemError(file, "header", "the protected header is not JSON");
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) throw new KeyringItemError(file, "header", "the protected header is not a JSON object");
  const h = header as Record<string, unknown>;
  if (h.alg !== JWE_ALG) throw new KeyringItemError(file, "header", `unsupported key management algorithm ${JSON.stringify(h.alg)} (expected ${JWE_ALG})`);
  if (h.enc !== JWE_ENC) throw new KeyringItemError(file, "header", `unsupported content encryption ${JSON.stringify(h.enc)} (expected ${JWE_ENC})`);
  if (h.zip !== undefined) throw new KeyringItemError(file, "header", "compressed (zip) tokens are not written by the keyring and are not read");
  if (typeof h.p2c !== "number" || !Number.isInteger(h.p2c) || h.p2c < 1) throw new KeyringItemError(file, "header", "p2c is not a positive integer");
  if (h.p2c > JWE_MAX_P2C) throw new KeyringItemError(file, "p2c", `p2c is ${h.p2c}, above the cap of ${JWE_MAX_P2C} iterations`);
  if (typeof h.p2s !== "string" || h.p2s.length === 0) throw new KeyringItemError(file, "header", "p2s is missing");
  let p2s: Uint8Array;
  try {
    p2s = base64urlnopad.decode(h.p2s);
  } catch {
    throw new KeyringItemError(file, "header", "p2s is not base64url");
  }
  const [, encryptedKey, iv, ciphertext, tag] = decoded as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  if (encryptedKey.length !== 40) throw new KeyringItemError(file, "unwrap", `the wrapped content key is ${encryptedKey.length} bytes, expected 40`);
  if (iv.length !== 12) throw new KeyringItemError(file, "authentication", `the IV is ${iv.length} bytes, expected 12`);
  if (tag.length !== 16) throw new KeyringItemError(file, "authentication", `the tag is ${tag.length} bytes, expected 16`);
  return { protectedB64: parts[0]!, header: h, p2c: h.p2c, p2s, encryptedKey, iv, ciphertext, tag };
}

/**
 * Decrypts a keyring JWE token with the password; returns the plaintext (the item JSON).
 *
 * @throws {KeyringItemError} for a malformed token, a content key that does not unwrap (`unwrap`:
 * altered, or another password) or a failed GCM check (`authentication`: altered).
 */
export async function decryptJwe(token: string, password: string, file: string): Promise<Uint8Array> {
  const jwe = parseJwe(token, file);
  const kek = await deriveJweKek(password, jwe.p2s, jwe.p2c);
  let cek: Uint8Array;
  try {
    cek = aeskw(kek).decrypt(jwe.encryptedKey);
  } catch {
    throw new KeyringItemError(file, "unwrap", "the content key does not unwrap (AES key wrap integrity check failed)");
  } finally {
    kek.fill(0);
  }
  const sealed = new Uint8Array(jwe.ciphertext.length + 16);
  sealed.set(jwe.ciphertext, 0);
  sealed.set(jwe.tag, jwe.ciphertext.length);
  try {
    return gcm(cek, jwe.iv, ascii.encode(jwe.protectedB64)).decrypt(sealed);
  } catch {
    throw new KeyringItemError(file, "authentication", "AES-GCM authentication failed (ciphertext, IV, tag or header altered)");
  } finally {
    cek.fill(0);
  }
}

const B64URL = /[^A-Za-z0-9_-]/;

function decodeSegment(part: string, index: number, file: string): Uint8Array {
  const bad = B64URL.exec(part);
  if (bad) throw new KeyringItemError(file, "encoding", `segment ${index + 1} is not base64url (byte ${bad.index})`);
  if (part.length % 4 === 1) throw new KeyringItemError(file, "encoding", `segment ${index + 1} is not base64url (its length ${part.length} is impossible)`);
  try {
    return base64urlnopad.decode(part);
  } catch {
    throw new KeyringItemError(file, "encoding", `segment ${index + 1} is not canonical base64url`);
  }
}
