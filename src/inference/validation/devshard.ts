/**
 * Devshard (inference-flow.md §11, rest-upgrades.md §3): the signature of POSTs to devshard host
 * routes, and the integer-only sampler hosts use to pick inferences to validate.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { InvalidArgumentError } from "../../errors.js";
import { InferenceSigningError } from "../errors.js";
import { addressFromPublicKey, parsePrivateKey, type PrivateKeyInput } from "../keys.js";
import { seededHash64 } from "./deterministic-float.js";

const encoder = new TextEncoder();

/** Arguments of {@link devshardRequestDigest} and {@link signDevshardRequest}. */
export interface DevshardRequestArgs {
  /** The escrow id (the `:id` of `/sessions/:id/…`). */
  escrowId: string;
  /** The exact body bytes (or a string sent UTF-8 encoded). */
  body: Uint8Array | string;
  /** Unix time in **seconds** (`X-Devshard-Timestamp`; hosts accept ±30 s). */
  timestampS: bigint | number;
}

function u64(v: bigint | number, what: string): bigint {
  const b = typeof v === "bigint" ? v : Number.isSafeInteger(v) ? BigInt(v) : -1n;
  if (b < 0n || b > 0xffffffffffffffffn) throw new InvalidArgumentError(what, "expected an unsigned 64-bit integer");
  return b;
}

/** `sha256(escrow_id ‖ body ‖ timestamp as 8 big-endian bytes)` — the message whose SHA-256 is signed. */
export function devshardRequestDigest(args: DevshardRequestArgs): Uint8Array {
  const id = encoder.encode(args.escrowId);
  const body = typeof args.body === "string" ? encoder.encode(args.body) : args.body;
  const msg = new Uint8Array(id.length + body.length + 8);
  msg.set(id, 0);
  msg.set(body, id.length);
  new DataView(msg.buffer).setBigUint64(id.length + body.length, u64(args.timestampS, "timestampS"));
  return sha256(msg);
}

/** The headers of a signed devshard request. */
export interface DevshardRequestHeaders {
  /** Hex of the 65-byte recoverable signature `r‖s‖v` (v ∈ {0, 1}). */
  "X-Devshard-Signature": string;
  /** Unix seconds. */
  "X-Devshard-Timestamp": string;
}

/**
 * Signs a devshard host request: a recoverable secp256k1 signature (RFC 6979, low S) over
 * `sha256(sha256(escrow_id ‖ body ‖ ts_be64))`, sent as hex `r‖s‖v`.
 *
 * @example
 * ```ts
 * const headers = signDevshardRequest({ privateKey, escrowId: "17", body, timestampS: 1781899859 });
 * ```
 */
export function signDevshardRequest(args: DevshardRequestArgs & { privateKey: PrivateKeyInput }): DevshardRequestHeaders {
  const digest = devshardRequestDigest(args);
  const secret = parsePrivateKey(args.privateKey);
  let sig: Uint8Array;
  try {
    sig = secp256k1.sign(sha256(digest), secret, { prehash: false, lowS: true, format: "recovered" });
  } catch {
    throw new InferenceSigningError("secp256k1 signing failed");
  } finally {
    secret.fill(0);
  }
  // noble's "recovered" format is v‖r‖s; the devshard header carries r‖s‖v.
  const out = new Uint8Array(65);
  out.set(sig.subarray(1), 0);
  out[64] = sig[0]!;
  return { "X-Devshard-Signature": bytesToHex(out), "X-Devshard-Timestamp": u64(args.timestampS, "timestampS").toString() };
}

/**
 * Recovers the sender address of a devshard request from its headers (hosts then check the
 * address belongs to the escrow's group). Throws {@link InvalidArgumentError} when the signature
 * is malformed or does not recover.
 */
export function recoverDevshardSender(args: DevshardRequestArgs & { signatureHex: string; prefix?: string }): string {
  if (!/^[0-9a-fA-F]{130}$/.test(args.signatureHex)) {
    throw new InvalidArgumentError("signatureHex", "expected 65 bytes as 130 hex digits (r‖s‖v)");
  }
  const raw = hexToBytes(args.signatureHex.toLowerCase());
  const v = raw[64]!;
  if (v > 1) throw new InvalidArgumentError("signatureHex", "the recovery byte v must be 0 or 1");
  const recovered = new Uint8Array(65);
  recovered[0] = v;
  recovered.set(raw.subarray(0, 64), 1);
  let publicKey: Uint8Array;
  try {
    publicKey = secp256k1.recoverPublicKey(recovered, sha256(devshardRequestDigest(args)), { prehash: false });
  } catch (err) {
    throw new InvalidArgumentError("signatureHex", "does not recover a public key", { cause: err });
  }
  return addressFromPublicKey(publicKey, args.prefix);
}

/** Arguments of {@link devshardShouldValidate}. */
export interface DevshardShouldValidateArgs {
  /** The host's seed (derived like a validator seed). */
  seed: bigint;
  /** The inference's nonce inside the session. */
  inferenceNonce: bigint | number;
  /** Slots the validating host holds. */
  validatorSlots: number;
  /** Slots the executing host holds. */
  executorSlots: number;
  /** Slots of the escrow's group (16). */
  totalSlots: number;
  /** `devshard_escrow_params.validation_rate` in basis points (default 5000). */
  rateBasisPoints?: number;
}

/**
 * Devshard's integer-only sampler:
 * `validate ⇔ (BE_uint64(sha256(dec(seed) ‖ ":" ‖ dec(nonce))[0:8]) >> 32) <
 * floor(min(1, rate_bp·V / ((T − X)·10000)) · 2^32)`; never when T ≤ X.
 *
 * @example
 * ```ts
 * devshardShouldValidate({ seed: 5n, inferenceNonce: 9, validatorSlots: 15, executorSlots: 1, totalSlots: 16, rateBasisPoints: 10000 }); // true
 * ```
 */
export function devshardShouldValidate(args: DevshardShouldValidateArgs): boolean {
  const rate = args.rateBasisPoints ?? 5000;
  for (const [k, v] of Object.entries({ validatorSlots: args.validatorSlots, executorSlots: args.executorSlots, totalSlots: args.totalSlots, rateBasisPoints: rate })) {
    if (!Number.isSafeInteger(v) || v < 0) throw new InvalidArgumentError(k, "expected a non-negative integer");
  }
  const nonce = typeof args.inferenceNonce === "bigint" ? args.inferenceNonce : BigInt(u64(args.inferenceNonce, "inferenceNonce"));
  const others = BigInt(args.totalSlots) - BigInt(args.executorSlots);
  if (others <= 0n) return false;
  const num = BigInt(rate) * BigInt(args.validatorSlots);
  const den = others * 10000n;
  const threshold = num >= den ? 1n << 32n : (num << 32n) / den;
  const draw = seededHash64(args.seed, nonce) >> 32n;
  return draw < threshold;
}
