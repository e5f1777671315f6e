/**
 * Errors of `gonka-sdk/poc/v2`. Every class extends a class of the SDK's one error tree
 * (`src/errors.ts`), so `err instanceof GonkaError` always holds. Messages describe the problem
 * (lengths, offsets, indices, nonces); they never carry key material.
 */
import { GonkaError, InvalidArgumentError, type GonkaErrorOptions } from "../../errors.js";

/**
 * A hex or base64 string is not what the protocol expects (odd length, a non-hex character,
 * non-canonical base64, wrong decoded length).
 *
 * @example
 * ```ts
 * try { decodeBase64("not base64!", "vector_b64"); } catch (e) { if (e instanceof InvalidEncodingError) e.encoding; } // "base64"
 * ```
 */
export class InvalidEncodingError extends InvalidArgumentError {
  override name = "InvalidEncodingError";
  /** Which encoding was expected. */
  readonly encoding: "hex" | "base64";
  constructor(argument: string, encoding: "hex" | "base64", problem: string, options: GonkaErrorOptions = {}) {
    super(argument, problem, {
      details: encoding === "hex"
        ? "Pass an even number of hex digits (0-9, a-f, either case), without spaces."
        : "Pass standard base64 with padding (RFC 4648 §4, the form Go's base64.StdEncoding writes).",
      ...options,
    });
    this.encoding = encoding;
  }
}

/**
 * An artifact vector is not `k_dim` IEEE-754 binary16 values: wrong byte length, or a value with
 * exponent 31 (NaN or ±Inf). Validators reject such an artifact outright (`validated_weight = -1`).
 * `shortMessage` carries the network node's own wording ("NaN detected at byte offset 22 (value 0x7e00)").
 */
export class InvalidFp16VectorError extends InvalidArgumentError {
  override name = "InvalidFp16VectorError";
  /** `"length"`: not `2·kDim` bytes; `"nan"` / `"inf"`: a non-finite value. */
  readonly reason: "length" | "nan" | "inf";
  /** Byte offset of the first non-finite value (`reason` `"nan"`/`"inf"`), else `undefined`. */
  readonly byteOffset?: number;
  /** The upstream message (`"invalid vector length: got 22 bytes, expected 24 (kDim=12)"`, …). */
  readonly upstreamMessage: string;
  constructor(argument: string, reason: "length" | "nan" | "inf", upstreamMessage: string, byteOffset?: number) {
    super(argument, upstreamMessage, {
      details: reason === "length"
        ? "A PoC v2 artifact is k_dim (12) float16 values, little-endian: exactly 24 bytes (32 base64 characters)."
        : "Artifacts must be finite float16 values; the network treats NaN/Inf as a failed proof.",
    });
    this.reason = reason;
    this.upstreamMessage = upstreamMessage;
    if (byteOffset !== undefined) this.byteOffset = byteOffset;
  }
}

/** The same nonce appears twice: in an artifact store, or among the verified artifacts of a proof response. */
export class DuplicateNonceError extends InvalidArgumentError {
  override name = "DuplicateNonceError";
  /** The repeated nonce (as int32). */
  readonly nonce: number;
  constructor(argument: string, nonce: number, options: GonkaErrorOptions = {}) {
    super(argument, `duplicate nonce ${nonce}`, {
      details: "Each nonce is committed once; a store skips repeats, and a validator rejects a participant whose proofs share a nonce.",
      ...options,
    });
    this.nonce = nonce;
  }
}

/** A leaf index is not below the count it is asked about (proofs exist only for leaves `0…count-1`). */
export class LeafIndexOutOfRangeError extends InvalidArgumentError {
  override name = "LeafIndexOutOfRangeError";
  readonly leafIndex: number;
  readonly count: number;
  constructor(leafIndex: number, count: number) {
    super("leafIndex", `leaf ${leafIndex} is not below count ${count}`, {
      details: "Ask for leaf indices in 0…count-1, where count is the committed count (or at most the store's current count).",
    });
    this.leafIndex = leafIndex;
    this.count = count;
  }
}

/** An MMR inclusion proof does not verify against the committed `(count, root)`. */
export class MmrProofError extends GonkaError {
  override name = "MmrProofError";
  readonly leafIndex: number;
  /** Why: `"index"` (≥ count), `"short"` (missing siblings or peaks), `"root"` (hashes to another root). */
  readonly reason: "index" | "short" | "root";
  constructor(leafIndex: number, reason: "index" | "short" | "root", problem: string) {
    super(`MMR proof for leaf ${leafIndex} does not verify: ${problem}`, {
      details: "The participant's artifact is not the one it committed on chain; a validator counts this as a failed proof.",
    });
    this.leafIndex = leafIndex;
    this.reason = reason;
  }
}

/** A proof response does not cover exactly the requested leaf indices (missing, extra or repeated ones). */
export class ProofCoverageError extends GonkaError {
  override name = "ProofCoverageError";
  readonly missing: number[];
  readonly unexpected: number[];
  readonly repeated: number[];
  constructor(missing: number[], unexpected: number[], repeated: number[]) {
    const parts: string[] = [];
    const list = (xs: number[]): string => (xs.length > 8 ? `${xs.slice(0, 8).join(", ")}, … (${xs.length})` : xs.join(", "));
    if (missing.length) parts.push(`missing ${list(missing)}`);
    if (unexpected.length) parts.push(`not requested ${list(unexpected)}`);
    if (repeated.length) parts.push(`repeated ${list(repeated)}`);
    super(`Proof response does not cover the requested leaves exactly: ${parts.join("; ")}`, {
      details: "The network node's validator treats an incomplete or padded proof response as a failed proof (validated_weight -1).",
    });
    this.missing = missing;
    this.unexpected = unexpected;
    this.repeated = repeated;
  }
}

/** `max|nonce| / count` is 100 or more: the nonces are spread too thinly for the committed count. */
export class PorosityTooHighError extends GonkaError {
  override name = "PorosityTooHighError";
  readonly porosity: number;
  constructor(porosity: number, maxAbsNonce: number, count: number) {
    super(`Porosity ${porosity} is not below 100 (max |nonce| ${maxAbsNonce}, count ${count})`, {
      details: "Honest hosts produce dense nonce ranges; validators reject a commit whose sampled nonces exceed 100 × count.",
    });
    this.porosity = porosity;
  }
}

/**
 * The last-token hidden state holds NaN or ±Inf. The network's vLLM drops such rows (no artifact
 * for that nonce); this SDK throws instead so the caller decides.
 */
export class NonFiniteHiddenStateError extends InvalidArgumentError {
  override name = "NonFiniteHiddenStateError";
  constructor(index: number) {
    super("hidden", `element ${index} is not finite`, {
      details: "The network drops a nonce whose hidden state is not finite; skip it rather than commit an artifact.",
    });
  }
}

/** The per-MLNode counts cannot be turned into a weight distribution (empty, or all zero). */
export class WeightDistributionError extends InvalidArgumentError {
  override name = "WeightDistributionError";
  /** The network node's wording: `"empty distribution"` or `"distribution sum is 0"`. */
  readonly upstreamMessage: string;
  constructor(upstreamMessage: string) {
    super("distribution", upstreamMessage, {
      details: "Pass the store's per-MLNode artifact counts (nodes.json) with at least one positive count.",
    });
    this.upstreamMessage = upstreamMessage;
  }
}
