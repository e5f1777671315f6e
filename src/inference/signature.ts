/**
 * The developer signature of an inference request (the `Authorization` header).
 *
 * The scheme (`"hashed-body"`, the only one nodes accept since v0.2.6): sign `sha256(payload)`
 * where `payload = hex(sha256(body)) + decimal(timestampNs) + transferAddress`. The signature is
 * secp256k1 ECDSA (RFC 6979), 64 bytes `r‖s`, low-S, standard padded base64.
 *
 * The removed raw-body scheme (`body + timestamp + transferAddress`, v0.2.3–v0.2.5) is refused
 * with {@link LegacySignatureSchemeError} wherever it is asked for.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { base64 } from "@scure/base";
import { InvalidArgumentError } from "../errors.js";
import { InferenceSigningError } from "./errors.js";
import { LegacySignatureSchemeError } from "./validation/errors.js";
import { parsePrivateKey, signSha256, type InferenceSigner, type PrivateKeyInput } from "./keys.js";

/**
 * Which payload is signed. `"hashed-body"` is the scheme of every node since v0.2.6.
 * `"raw-body"` names the removed scheme only so that asking for it fails clearly: every function
 * given it throws {@link LegacySignatureSchemeError}.
 */
export type InferenceSignatureScheme = "hashed-body" | "raw-body";

/**
 * Checks a scheme option: `undefined` and `"hashed-body"` pass; `"raw-body"` throws
 * {@link LegacySignatureSchemeError}; anything else {@link InvalidArgumentError}.
 */
export function checkSignatureScheme(scheme: unknown): "hashed-body" {
  if (scheme === undefined || scheme === "hashed-body") return "hashed-body";
  if (scheme === "raw-body") throw new LegacySignatureSchemeError();
  throw new InvalidArgumentError("scheme", 'expected "hashed-body" (the only scheme nodes accept since v0.2.6)');
}

/** A nanosecond Unix timestamp: a bigint, a decimal string, or a safe-integer number. */
export type TimestampNsInput = bigint | string | number;

/** A request body: the exact bytes sent, or a string that is sent UTF-8 encoded. */
export type BodyInput = Uint8Array | string;

const encoder = new TextEncoder();
/** secp256k1 group order n and n/2 (signatures with s > n/2 are rejected by the chain). */
const CURVE_N = secp256k1.Point.Fn.ORDER;
const HALF_N = CURVE_N >> 1n;

/** Formats a timestamp as the decimal string used in `X-Timestamp` and in the payload. */
export function formatTimestampNs(timestampNs: TimestampNsInput): string {
  let value: bigint;
  if (typeof timestampNs === "bigint") value = timestampNs;
  else if (typeof timestampNs === "number") {
    if (!Number.isSafeInteger(timestampNs)) {
      throw new InvalidArgumentError("timestampNs", "a number timestamp must be a safe integer; pass nanoseconds as a bigint");
    }
    value = BigInt(timestampNs);
  } else if (typeof timestampNs === "string" && /^[0-9]+$/.test(timestampNs)) value = BigInt(timestampNs);
  else throw new InvalidArgumentError("timestampNs", "expected a bigint or a decimal string of nanoseconds");
  if (value <= 0n) throw new InvalidArgumentError("timestampNs", "must be positive (nodes treat 0 as missing)");
  return value.toString();
}

function bodyBytes(body: BodyInput): Uint8Array {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  throw new InvalidArgumentError("body", "expected a string or a Uint8Array");
}

/** Arguments shared by {@link inferenceSignaturePayload}, {@link signInferenceRequest} and {@link verifyInferenceRequest}. */
export interface InferencePayloadArgs {
  /** The exact request body (an empty body is allowed and signs as zero bytes). */
  body: BodyInput;
  /** The `X-Timestamp` value in nanoseconds. */
  timestampNs: TimestampNsInput;
  /** Bech32 address of the transfer agent (the `X-Transfer-Address` value). */
  transferAddress: string;
  /** Payload scheme; `"hashed-body"` (default) is the only one accepted; `"raw-body"` throws {@link LegacySignatureSchemeError}. */
  scheme?: InferenceSignatureScheme;
}

/**
 * The bytes whose SHA-256 is signed. For `"hashed-body"` this is ASCII
 * `hex(sha256(body)) + timestamp + transferAddress`.
 *
 * @example
 * ```ts
 * new TextDecoder().decode(inferenceSignaturePayload({ body: "", timestampNs: 1n, transferAddress: "gonka1…" }));
 * // "e3b0c442…b8551gonka1…"
 * ```
 */
export function inferenceSignaturePayload(args: InferencePayloadArgs): Uint8Array {
  checkSignatureScheme(args.scheme);
  if (typeof args.transferAddress !== "string" || args.transferAddress.length === 0) {
    throw new InvalidArgumentError("transferAddress", "the transfer agent's bech32 address is required");
  }
  const suffix = encoder.encode(formatTimestampNs(args.timestampNs) + args.transferAddress);
  const head = encoder.encode(bytesToHex(sha256(bodyBytes(args.body))));
  const out = new Uint8Array(head.length + suffix.length);
  out.set(head, 0);
  out.set(suffix, head.length);
  return out;
}

/** Arguments of {@link signInferenceRequest} with a private key. */
export interface SignWithPrivateKeyArgs extends InferencePayloadArgs {
  /** The requester's private key (32 bytes or 64 hex digits). */
  privateKey: PrivateKeyInput;
  signer?: undefined;
}

/** Arguments of {@link signInferenceRequest} with a signer object. */
export interface SignWithSignerArgs extends InferencePayloadArgs {
  /** Signs `sha256(message)`; see {@link InferenceSigner}. */
  signer: InferenceSigner;
  privateKey?: undefined;
}

/** Checks a signer's output and returns it as 64 bytes with low S. */
export function normalizeSignature(signature: unknown): Uint8Array {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    const what = signature instanceof Uint8Array ? `${signature.length} bytes` : typeof signature;
    throw new InferenceSigningError(`The signer returned ${what}; expected a 64-byte r‖s signature`);
  }
  const out = Uint8Array.from(signature);
  let s = 0n;
  for (let i = 32; i < 64; i++) s = (s << 8n) | BigInt(out[i]!);
  if (s === 0n || s >= CURVE_N) throw new InferenceSigningError("The signer returned a signature with an invalid S value");
  if (s > HALF_N) {
    let low = CURVE_N - s;
    for (let i = 63; i >= 32; i--) {
      out[i] = Number(low & 0xffn);
      low >>= 8n;
    }
  }
  return out;
}

/**
 * Signs an inference request and returns the `Authorization` header value (base64 of the 64-byte
 * low-S signature). Synchronous with a private key; returns a Promise with a signer object.
 *
 * @example
 * ```ts
 * const authorization = signInferenceRequest({
 *   privateKey, body, timestampNs: 1763726400123456789n,
 *   transferAddress: "gonka1c73uxrxztjtcjptrj54ryyw7fw55htw73r3m2a",
 * });
 * ```
 */
export function signInferenceRequest(args: SignWithPrivateKeyArgs): string;
export function signInferenceRequest(args: SignWithSignerArgs): Promise<string>;
export function signInferenceRequest(args: SignWithPrivateKeyArgs | SignWithSignerArgs): string | Promise<string> {
  const payload = inferenceSignaturePayload(args);
  if (args.signer === undefined) {
    const secret = parsePrivateKey(args.privateKey);
    try {
      return base64.encode(normalizeSignature(signSha256(secret, payload)));
    } finally {
      secret.fill(0);
    }
  }
  return signPayloadWith(args.signer, payload);
}

/** Signs `payload` with a signer object (sync or async) and returns the base64 `Authorization` value. */
export async function signPayloadWith(signer: InferenceSigner, payload: Uint8Array): Promise<string> {
  let raw: unknown;
  try {
    raw = await signer.sign(payload);
  } catch (err) {
    if (err instanceof InferenceSigningError) throw err;
    throw new InferenceSigningError("The request signer threw", {
      details: "The signer's own error is attached as `cause`; gonka-sdk does not copy its message.",
      cause: err,
    });
  }
  return base64.encode(normalizeSignature(raw));
}

/** Arguments of {@link verifyInferenceRequest}. */
export interface VerifyInferenceArgs extends InferencePayloadArgs {
  /** The `Authorization` header value (base64 of 64 bytes). */
  authorization: string;
  /** The requester's 33-byte compressed public key (bytes, hex or base64). */
  publicKey: Uint8Array | string;
}

function publicKeyBytes(publicKey: Uint8Array | string): Uint8Array {
  if (publicKey instanceof Uint8Array) return publicKey;
  if (/^0[23][0-9a-fA-F]{64}$/.test(publicKey)) return hexToBytes(publicKey);
  try {
    return base64.decode(publicKey);
  } catch (err) {
    throw new InvalidArgumentError("publicKey", "expected bytes, 66 hex digits or base64", { cause: err });
  }
}

/**
 * Checks an `Authorization` value the way a transfer agent does: base64 → 64 bytes, low S
 * (high-S is rejected), ECDSA over `sha256(payload)`. Returns false for any malformed input;
 * throws {@link LegacySignatureSchemeError} when asked to check the removed raw-body scheme (use
 * `detectSignatureScheme` to recognise such a signature).
 *
 * @example
 * ```ts
 * verifyInferenceRequest({ authorization, body, timestampNs, transferAddress, publicKey }); // true
 * ```
 */
export function verifyInferenceRequest(args: VerifyInferenceArgs): boolean {
  checkSignatureScheme(args.scheme);
  let sig: Uint8Array;
  let payload: Uint8Array;
  let key: Uint8Array;
  try {
    sig = base64.decode(args.authorization);
    payload = inferenceSignaturePayload(args);
    key = publicKeyBytes(args.publicKey);
  } catch {
    return false;
  }
  if (sig.length !== 64) return false;
  try {
    return secp256k1.verify(sig, sha256(payload), key, { prehash: false, lowS: true, format: "compact" });
  } catch {
    return false;
  }
}

