/**
 * test/fixtures/poc-v2.json (copied from shared/vectors), read losslessly: integers of 16 or more
 * digits (the Go seeds, `seed_int64`) become decimal strings instead of rounded doubles.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const raw = readFileSync(join(import.meta.dirname, "..", "..", "fixtures", "poc-v2.json"), "utf8");

/** The vectors; big integers as strings (see the file comment). Typed loosely on purpose: it is data. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const V: any = JSON.parse(raw.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));

/** sha256 hex of a typed array's bytes (little-endian on every machine we run on). */
export function sha256Hex(a: ArrayBufferView): string {
  return createHash("sha256").update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest("hex");
}

const f = new Float32Array(1);
const u = new Uint32Array(f.buffer);

/** The float32 of an 8-digit hex bit pattern. */
export function f32(hex: string): number {
  u[0] = parseInt(hex, 16);
  return f[0];
}

/** The 8-digit hex bit pattern of a float32. */
export function f32hex(x: number): string {
  f[0] = x;
  return u[0].toString(16).padStart(8, "0");
}

/** Distance in units in the last place between two float32 values of the same sign (or zeros). */
export function ulps32(a: number, b: number): number {
  f[0] = a;
  const ia = u[0] & 0x80000000 ? -(u[0] & 0x7fffffff) : u[0];
  f[0] = b;
  const ib = u[0] & 0x80000000 ? -(u[0] & 0x7fffffff) : u[0];
  return Math.abs(ia - ib);
}

/** Distance in units between two 16-bit float patterns (float16 or bfloat16) of the same sign. */
export function ulps16(a: number, b: number): number {
  const ia = a & 0x8000 ? -(a & 0x7fff) : a;
  const ib = b & 0x8000 ? -(b & 0x7fff) : b;
  return Math.abs(ia - ib);
}

/** Hex bytes → Uint8Array. */
export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, "hex"));
}

/** Uint8Array → lower-case hex. */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}
