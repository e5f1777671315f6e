/** Shared helpers of the keyring tests: the golden vectors and vector directories on disk. */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aeskw, gcm } from "@noble/ciphers/aes.js";
import { pbkdf2 } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import vectors from "../fixtures/keyring.json" with { type: "json" };

export const V = vectors;

/** One file of a vector directory. */
export interface VectorFile {
  name: string;
  kind: string;
  mode: string;
  contentB64?: string;
  itemKey?: string;
  itemDataHex?: string;
  jwe?: Record<string, unknown> & { p2sHex: string; kekHex: string; cekHex: string; ivHex: string; encryptedKeyHex: string; ciphertextHex: string; tagHex: string; payload: string; protectedHeaderJson: string; protectedHeaderB64u: string; pbkdf2SaltHex: string; p2c: number; headerKeys: string[] };
  record?: Record<string, unknown>;
  text?: string;
}

export const fromHex = (s: string): Uint8Array => hex.decode(s);
export const toHex = (b: Uint8Array): string => hex.encode(b);
export const b64 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "base64"));

/** Writes a vector directory's files (modes as recorded) into a new temporary directory. */
export function writeVectorDir(files: VectorFile[], parent = mkdtempSync(join(tmpdir(), "gonka-keyring-")), sub = "keyring-file"): string {
  const dir = join(parent, sub);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const f of files) {
    if (f.kind === "dir" || f.contentB64 === undefined) continue;
    const path = join(dir, f.name);
    writeFileSync(path, b64(f.contentB64));
    chmodSync(path, parseInt(f.mode, 8));
  }
  return dir;
}

/** A fresh empty temporary directory. */
export function tempDir(prefix = "gonka-keyring-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** File name → bytes of a directory. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) out.set(name, readFileSync(join(dir, name)).toString("base64"));
  return out;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The fileKeyring password. */
export const PASSWORD = V.fileKeyring.password;

/**
 * Decrypts a keyring file's JWE token the way jose2go does, with noble directly (PBKDF2 over
 * "PBES2-HS256+A128KW" ‖ 0 ‖ p2s, AES key unwrap, AES-256-GCM with the header as AAD) — not
 * through the keyring's own reader — and parses the 99designs item inside.
 */
export function referenceDecryptItem(token: string, password: string): { header: Record<string, unknown>; key: string; data: Uint8Array } {
  const parts = token.split(".");
  if (parts.length !== 5) throw new Error(`expected 5 segments, got ${parts.length}`);
  const [h, ek, iv, ct, tag] = parts as [string, string, string, string, string];
  const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as Record<string, unknown>;
  const p2s = Buffer.from(header.p2s as string, "base64url");
  const salt = Buffer.concat([Buffer.from("PBES2-HS256+A128KW"), Buffer.from([0]), p2s]);
  const kek = pbkdf2(sha256, password, salt, { c: header.p2c as number, dkLen: 16 });
  const cek = aeskw(kek).decrypt(Buffer.from(ek, "base64url"));
  const plain = gcm(cek, Buffer.from(iv, "base64url"), new TextEncoder().encode(h)).decrypt(Buffer.concat([Buffer.from(ct, "base64url"), Buffer.from(tag, "base64url")]));
  const item = JSON.parse(new TextDecoder().decode(plain)) as { Key: string; Data: string };
  return { header, key: item.Key, data: Uint8Array.from(Buffer.from(item.Data, "base64")) };
}
