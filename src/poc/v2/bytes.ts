/**
 * Byte helpers of the PoC v2 wire: strict hex and base64 decoding with typed errors, and the
 * little-endian integer encodings the network node hashes.
 */
import { base64, hex } from "@scure/base";
import { InvalidArgumentError } from "../../errors.js";
import { InvalidEncodingError } from "./errors.js";

const HEX_RE = /^[0-9a-fA-F]*$/;

/**
 * Bytes of a hex string (either case, no `0x`). Optionally checks the decoded length.
 *
 * @example
 * ```ts
 * decodeHex("00ff", "root"); // Uint8Array [0, 255]
 * ```
 * @throws {InvalidEncodingError} for odd length, non-hex characters or a wrong length.
 */
export function decodeHex(s: string, argument = "hex", expectedLength?: number): Uint8Array {
  if (typeof s !== "string") throw new InvalidEncodingError(argument, "hex", `expected a string, got ${typeof s}`);
  if (s.length % 2 !== 0) throw new InvalidEncodingError(argument, "hex", `odd number of hex digits (${s.length})`);
  if (!HEX_RE.test(s)) throw new InvalidEncodingError(argument, "hex", "contains a character that is not a hex digit");
  const out = hex.decode(s.toLowerCase());
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new InvalidEncodingError(argument, "hex", `decodes to ${out.length} bytes, expected ${expectedLength}`);
  }
  return out;
}

/** Lower-case hex of bytes. */
export function encodeHex(bytes: Uint8Array): string {
  return hex.encode(bytes);
}

/**
 * Bytes of a standard base64 string with padding (Go's `base64.StdEncoding`). Optionally checks
 * the decoded length.
 *
 * @example
 * ```ts
 * decodeBase64("YWJj", "vector_bytes"); // Uint8Array [97, 98, 99]
 * ```
 * @throws {InvalidEncodingError} for anything that is not canonical padded base64, or a wrong length.
 */
export function decodeBase64(s: string, argument = "base64", expectedLength?: number): Uint8Array {
  if (typeof s !== "string") throw new InvalidEncodingError(argument, "base64", `expected a string, got ${typeof s}`);
  let out: Uint8Array;
  try {
    out = base64.decode(s);
  } catch (cause) {
    throw new InvalidEncodingError(argument, "base64", "is not standard padded base64", { cause });
  }
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new InvalidEncodingError(argument, "base64", `decodes to ${out.length} bytes, expected ${expectedLength}`);
  }
  return out;
}

/** Standard padded base64 of bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/** Checks that `bytes` is a Uint8Array (optionally of a given length); returns it. */
export function requireBytes(bytes: unknown, argument: string, length?: number): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError(argument, "expected a Uint8Array");
  if (length !== undefined && bytes.length !== length) {
    throw new InvalidArgumentError(argument, `is ${bytes.length} bytes, expected ${length}`);
  }
  return bytes;
}

/** Checks an integer argument lies in `[min, max]`; returns it. */
export function requireInt(value: unknown, argument: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(argument, `must be an integer in ${min}…${max}, got ${String(value)}`);
  }
  return value;
}

/** Checks a bigint-or-number integer argument lies in `[min, max]`; returns it as a bigint. */
export function requireBigInt(value: unknown, argument: string, min: bigint, max: bigint): bigint {
  let v: bigint;
  if (typeof value === "bigint") v = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) v = BigInt(value);
  else if (typeof value === "string" && /^-?[0-9]+$/.test(value)) v = BigInt(value);
  else throw new InvalidArgumentError(argument, `must be an integer (number, bigint or decimal string), got ${typeof value}`);
  if (v < min || v > max) throw new InvalidArgumentError(argument, `must be in ${min}…${max}, got ${v}`);
  return v;
}

/** An append-only little-endian byte writer (the network node's `binary.LittleEndian.Put*`). */
export class LeWriter {
  private buf: Uint8Array;
  private view: DataView;
  private n = 0;
  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }
  private reserve(extra: number): void {
    if (this.n + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.n + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  /** 4 bytes, two's complement / unsigned (the low 32 bits of `v`). */
  u32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.n, v >>> 0, true);
    this.n += 4;
    return this;
  }
  /** 8 bytes, two's complement (the low 64 bits of `v`). */
  u64(v: bigint): this {
    this.reserve(8);
    this.view.setBigUint64(this.n, BigInt.asUintN(64, v), true);
    this.n += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
    return this;
  }
  /** `LE32(len(utf8(s))) ‖ utf8(s)` (Go's length-prefixed string). */
  lenString(s: string): this {
    const b = utf8(s);
    return this.u32(b.length).bytes(b);
  }
  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

const encoder = new TextEncoder();
/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}
