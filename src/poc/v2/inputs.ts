/**
 * The `inputs_embeds` the network feeds the served model for one nonce (§3 of the PoC v2 spec),
 * in float32 before the model's dtype cast, plus the casts themselves (bfloat16 for the three
 * mainnet models, float16 for an fp16 model).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { InvalidArgumentError } from "../../errors.js";
import { toFloat16Bits } from "../rng/float16.js";
import { utf8 } from "./bytes.js";
import { fillNormals, MAX_STREAM_LENGTH, seedFromString } from "./random.js";

/** A nonce: an integer (the network's nonces are int32; negative values only appear in tests). */
export type PocNonce = number | bigint;

/** What {@link pocInputs} needs. */
export interface PocInputsArgs {
  /** The seed block hash exactly as the network sends it (upper-case hex for regular PoC, lower-case for confirmation PoC). */
  blockHash: string;
  /** The participant's public key string as sent (lower-case hex of the 33-byte compressed key). */
  publicKey: string;
  nonce: PocNonce;
  /** The model's PoC `seq_len` (1024 for the mainnet models). */
  seqLen: number;
  /** The model's hidden size (Qwen3-235B 4096, Kimi-K2.6 7168, MiniMax-M2.7 3072). */
  hiddenSize: number;
  /**
   * `poc_stronger_rng`: `false` (legacy, the mainnet default) draws one stream from a 32-bit seed;
   * `true` (concat-murmur) draws 8 segments from the full sha256 digest. Default `false`.
   */
  strongerRng?: boolean;
  /** Where to write the `seqLen·hiddenSize` values (allocated when omitted). */
  out?: Float32Array;
}

/** The seed string of a nonce's input tensor: `"{blockHash}_{publicKey}_nonce{nonce}"`. */
export function inputSeedString(blockHash: string, publicKey: string, nonce: PocNonce): string {
  return `${blockHash}_${publicKey}_nonce${checkNonce(nonce)}`;
}

/**
 * The 8 sub-seeds of the concat-murmur inputs: `sha256(seedString)` read as 8 big-endian uint32.
 */
export function strongerRngSubSeeds(seedString: string): number[] {
  const d = sha256(utf8(seedString));
  const out: number[] = [];
  for (let k = 0; k < 8; k++) out.push(((d[4 * k] << 24) | (d[4 * k + 1] << 16) | (d[4 * k + 2] << 8) | d[4 * k + 3]) >>> 0);
  return out;
}

/**
 * The float32 input tensor of one nonce, row-major `[seqLen, hiddenSize]` (flat index
 * `t·hiddenSize + d`), before the model's dtype cast. Cast with {@link toBfloat16} (mainnet models)
 * or {@link toFloat16}.
 *
 * Note: the network's v0.15.1 vLLM ignores `poc_stronger_rng` when the inputs fit in its KV-cache
 * scratch path (spec §3); the flag's default, and mainnet's value, is `false`.
 *
 * @example
 * ```ts
 * const x = pocInputs({ blockHash, publicKey, nonce: 0, seqLen: 1024, hiddenSize: 4096 });
 * const bf16 = toBfloat16(x); // what Qwen3-235B receives
 * ```
 */
export function pocInputs(args: PocInputsArgs): Float32Array {
  const { blockHash, publicKey, nonce, seqLen, hiddenSize, strongerRng = false, out } = args;
  if (typeof blockHash !== "string") throw new InvalidArgumentError("blockHash", "expected a string");
  if (typeof publicKey !== "string") throw new InvalidArgumentError("publicKey", "expected a string");
  for (const [name, v] of [["seqLen", seqLen], ["hiddenSize", hiddenSize]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(name, `must be a positive integer, got ${String(v)}`);
  }
  const n = seqLen * hiddenSize;
  if (n > MAX_STREAM_LENGTH) throw new InvalidArgumentError("seqLen·hiddenSize", `${n} elements exceed ${MAX_STREAM_LENGTH}`);
  if (out !== undefined && (!(out instanceof Float32Array) || out.length < n)) {
    throw new InvalidArgumentError("out", `must be a Float32Array of at least ${n} elements`);
  }
  const o = out ?? new Float32Array(n);
  const s = inputSeedString(blockHash, publicKey, nonce);
  if (!strongerRng) {
    fillNormals(seedFromString(s), n, o, 0);
    return o;
  }
  const subSeeds = strongerRngSubSeeds(s);
  const len = Math.ceil(n / 8);
  for (let k = 0; k < 8 && k * len < n; k++) fillNormals(subSeeds[k], Math.min(len, n - k * len), o, k * len);
  return o;
}

/**
 * float32 → IEEE binary16 bit patterns, round to nearest even (torch `.to(float16)`, numpy
 * `astype('<f2')`); magnitudes ≥ 65520 become ±Inf.
 */
export function toFloat16(x: Float32Array): Uint16Array {
  const out = new Uint16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = toFloat16Bits(x[i]);
  return out;
}

/** float32 → bfloat16 bit patterns, round to nearest even (torch `.to(bfloat16)`); NaN stays NaN. */
export function toBfloat16(x: Float32Array): Uint16Array {
  const bits = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const out = new Uint16Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const b = bits[i];
    if ((b & 0x7fffffff) > 0x7f800000) out[i] = (b >>> 16) | 0x40;
    else out[i] = (b + 0x7fff + ((b >>> 16) & 1)) >>> 16;
  }
  return out;
}

/** bfloat16 bit patterns → float32 values (exact). */
export function fromBfloat16(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  const u = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) u[i] = bits[i] << 16;
  return out;
}

/** Checks a nonce and returns its decimal form (as the seed strings print it). */
export function checkNonce(nonce: unknown): string {
  if (typeof nonce === "bigint") return nonce.toString();
  if (typeof nonce === "number" && Number.isSafeInteger(nonce)) return String(nonce);
  throw new InvalidArgumentError("nonce", `must be an integer (number or bigint), got ${String(nonce)}`);
}
