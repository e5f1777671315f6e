/** Shared helpers of the keyring tests: the golden vectors and vector directories on disk. */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
