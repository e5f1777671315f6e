/**
 * Artifacts (spec §4.3–§5): how the served model's last-token hidden state becomes the 12 float16
 * values of a nonce, and how those travel (24 bytes little-endian, base64 on the wire).
 */
import { InvalidArgumentError } from "../../errors.js";
import { float16BitsToNumber, toFloat16Bits } from "../rng/float16.js";
import { decodeBase64, encodeBase64 } from "./bytes.js";
import { InvalidFp16VectorError, NonFiniteHiddenStateError } from "./errors.js";
import { haarRotate, normF32 } from "./haar.js";
import { checkNonce, type PocNonce } from "./inputs.js";
import { DEFAULT_K_DIM, pickIndices } from "./pick.js";

const fround = Math.fround;
const EPS_NORM = Math.fround(1e-8);

/** One artifact as the wire carries it (`{"nonce": …, "vector_b64": …}`). */
export interface PocArtifact {
  /** The nonce (int32). */
  nonce: number;
  /** Standard padded base64 of the `2·k_dim` little-endian float16 bytes (32 characters for k 12). */
  vectorB64: string;
}

/** The encoding metadata vLLM sends along (`"encoding"`); informational, the API node ignores it. */
export const ARTIFACT_ENCODING = { dtype: "f16", k_dim: DEFAULT_K_DIM, endian: "le" } as const;

/**
 * float values → the artifact's bytes: each value rounded to IEEE binary16 (nearest even, via
 * float32 as numpy's `astype('<f2')`), little-endian. Magnitudes ≥ 65520 become ±Inf (which
 * validators reject — {@link checkFp16Vector}).
 *
 * @example
 * ```ts
 * encodeBase64(encodeVector([0.5, -0.25, 1, -1, 0, -0, 0, 6.1e-5, 65504, 7e4, 0.1, 1 / 3]));
 * // "ADgAtAA8ALwAAACAAAD/A/97AHxmLlU1"
 * ```
 */
export function encodeVector(values: ArrayLike<number>): Uint8Array {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new InvalidArgumentError("values", "expected an array of numbers");
  }
  const out = new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") throw new InvalidArgumentError(`values[${i}]`, `expected a number, got ${typeof v}`);
    const h = toFloat16Bits(v);
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = h >>> 8;
  }
  return out;
}

/**
 * An artifact's bytes (or its base64 string) → float32 values. Checks the length (`2·kDim` bytes);
 * NaN/Inf decode as such — use {@link checkFp16Vector} to reject them.
 *
 * @example
 * ```ts
 * decodeVector("njSeNJ40njSeNJ40njSeNJ40njSeNJ40"); // Float32Array(12) [0.28857421875, …]
 * ```
 * @throws {InvalidEncodingError} for a string that is not base64.
 * @throws {InvalidFp16VectorError} (`reason: "length"`) for a wrong byte length.
 */
export function decodeVector(vector: Uint8Array | string, kDim = DEFAULT_K_DIM): Float32Array {
  const bytes = typeof vector === "string" ? decodeBase64(vector, "vector_b64") : vector;
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError("vector", "expected a Uint8Array or a base64 string");
  checkLength(bytes, kDim);
  const out = new Float32Array(kDim);
  for (let i = 0; i < kDim; i++) out[i] = float16BitsToNumber(bytes[2 * i] | (bytes[2 * i + 1] << 8));
  return out;
}

function checkLength(bytes: Uint8Array, kDim: number): void {
  if (!Number.isInteger(kDim) || kDim < 1) throw new InvalidArgumentError("kDim", `must be a positive integer, got ${String(kDim)}`);
  if (bytes.length !== 2 * kDim) {
    throw new InvalidFp16VectorError("vector", "length", `invalid vector length: got ${bytes.length} bytes, expected ${2 * kDim} (kDim=${kDim})`);
  }
}

/**
 * The validator's fp16 check (spec §11.3): exactly `2·kDim` bytes and no value with exponent 31.
 * Passes silently; throws with the network node's own message otherwise.
 *
 * @example
 * ```ts
 * checkFp16Vector(bytes); // throws InvalidFp16VectorError "NaN detected at byte offset 22 (value 0x7e00)"
 * ```
 * @throws {InvalidFp16VectorError}
 */
export function checkFp16Vector(bytes: Uint8Array, kDim = DEFAULT_K_DIM): void {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError("vector", "expected a Uint8Array");
  checkLength(bytes, kDim);
  for (let off = 0; off < bytes.length; off += 2) {
    const h = bytes[off] | (bytes[off + 1] << 8);
    if ((h & 0x7c00) !== 0x7c00) continue;
    const hex = `0x${h.toString(16).padStart(4, "0")}`;
    if (h & 0x03ff) throw new InvalidFp16VectorError("vector", "nan", `NaN detected at byte offset ${off} (value ${hex})`, off);
    throw new InvalidFp16VectorError("vector", "inf", `Infinity detected at byte offset ${off} (value ${hex})`, off);
  }
}

/**
 * The L2 distance between two decoded artifacts in float32 (`‖a − b‖₂`), the quantity compared
 * with the model's `dist_threshold`. NaN or Inf when either holds a non-finite value.
 */
export function artifactDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new InvalidArgumentError("b", `has ${b.length} values, a has ${a.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = fround(a[i] - b[i]);
    s += d * d;
  }
  return fround(Math.sqrt(s));
}

/** What {@link artifactFromHidden} needs. */
export interface ArtifactFromHiddenArgs {
  blockHash: string;
  publicKey: string;
  nonce: PocNonce;
  /** The last-token hidden state of the nonce (after the model's final norm), as float32 values. */
  hidden: ArrayLike<number>;
  /** `k_dim`; default 12. */
  k?: number;
}

/** Every intermediate of {@link artifactFromHidden}, for checking a model runner step by step. */
export interface ArtifactSteps {
  /** The picked coordinates, in the network's (CUDA) order. */
  indices: number[];
  /** `h / (‖h‖₂ + 1e-8)` at `indices` (float32). */
  picked: Float32Array;
  /** After the `k−1` Haar reflections, then `/ (‖·‖₂ + 1e-8)` (float32). */
  normalized: Float32Array;
  /** The float16 bit patterns of `normalized`. */
  float16Bits: Uint16Array;
  /** The artifact's bytes (little-endian float16). */
  vectorBytes: Uint8Array;
}

/**
 * The post-processing chain of spec §4 steps 4–7, with every intermediate: normalise, pick `k`
 * coordinates in CUDA order, Haar-rotate, normalise again, round to float16.
 *
 * @throws {NonFiniteHiddenStateError} when `hidden` holds NaN or ±Inf (the network drops such nonces).
 */
export function artifactSteps(args: ArtifactFromHiddenArgs): ArtifactSteps {
  const { blockHash, publicKey, nonce, k = DEFAULT_K_DIM } = args;
  checkNonce(nonce);
  const hidden = args.hidden;
  if (hidden === null || typeof hidden !== "object" || typeof hidden.length !== "number" || hidden.length < 1) {
    throw new InvalidArgumentError("hidden", "expected a non-empty Float32Array (or array of numbers)");
  }
  const h = hidden instanceof Float32Array ? hidden : Float32Array.from(hidden);
  for (let i = 0; i < h.length; i++) if (!Number.isFinite(h[i])) throw new NonFiniteHiddenStateError(i);
  const denom = fround(normF32(h) + EPS_NORM);
  const indices = pickIndices({ blockHash, publicKey, nonce, dim: h.length, k });
  const picked = new Float32Array(k);
  for (let j = 0; j < k; j++) picked[j] = h[indices[j]] / denom;
  const rotated = haarRotate({ blockHash, publicKey, nonce, x: picked });
  const d2 = fround(normF32(rotated) + EPS_NORM);
  const normalized = new Float32Array(k);
  for (let j = 0; j < k; j++) normalized[j] = rotated[j] / d2;
  const float16Bits = new Uint16Array(k);
  for (let j = 0; j < k; j++) float16Bits[j] = toFloat16Bits(normalized[j]);
  const vectorBytes = new Uint8Array(float16Bits.buffer.slice(0));
  return { indices, picked, normalized, float16Bits, vectorBytes: littleEndian(float16Bits, vectorBytes) };
}

function littleEndian(bits: Uint16Array, scratch: Uint8Array): Uint8Array {
  for (let i = 0; i < bits.length; i++) {
    scratch[2 * i] = bits[i] & 0xff;
    scratch[2 * i + 1] = bits[i] >>> 8;
  }
  return scratch;
}

/**
 * The artifact of one nonce from the served model's last-token hidden state: what the network's
 * vLLM sends to the API node. Exact except for rare one-unit float16 flips against CUDA (the
 * network measures ≈97–98 % of rows identical between CPU and CUDA, the rest within one unit).
 * Needs no GPU; producing `hidden` does (the model's forward pass).
 *
 * @example
 * ```ts
 * const { nonce, vectorB64 } = artifactFromHidden({ blockHash, publicKey, nonce: 7, hidden });
 * ```
 * @throws {NonFiniteHiddenStateError} when `hidden` holds NaN or ±Inf.
 */
export function artifactFromHidden(args: ArtifactFromHiddenArgs): PocArtifact {
  const steps = artifactSteps(args);
  return { nonce: Number(args.nonce), vectorB64: encodeBase64(steps.vectorBytes) };
}
