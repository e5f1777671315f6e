/**
 * The network's signature components (inference-flow.md §2.2, §3.3, §4): every signature on the
 * inference path — the developer's `Authorization`, the transfer agent's `X-TA-Signature`, the
 * executor's signature, the validator's payload-retrieval signature — is secp256k1 ECDSA
 * (RFC 6979, low S, 64 bytes `r‖s`, standard base64) over SHA-256 of
 *
 * ```
 * payload ‖ dec(epochId) ‖ dec(timestamp) ‖ transferAddress [‖ executorAddress]
 * ```
 *
 * where a zero epoch id or timestamp is left out and the executor address is appended for the
 * transfer-agent and executor signatures. `signature.ts` covers the developer's request
 * signature from a body; this module adds the other components, the hop headers, verification
 * with the node's outcomes (`"invalid signature"`, `"illegal base64 data at input byte N"`,
 * grantee key lists) and detection of the removed raw-body scheme.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { base64 } from "@scure/base";
import { InvalidArgumentError } from "../errors.js";
import { parsePrivateKey, signSha256, type PrivateKeyInput } from "./keys.js";
import { normalizeSignature } from "./signature.js";
import { LegacySignatureSchemeError } from "./validation/errors.js";

/** Which signature the components are for: the developer's, or a transfer agent's / executor's (adds the executor address). */
export type SignatureType = "developer" | "transfer_agent" | "executor";

/** The parts of a signed string. */
export interface SignatureComponents {
  /** The payload: `hex(sha256(body))` for a developer, `prompt_hash` for the hops, the inference id for payload retrieval. */
  payload: string;
  /** Epoch id (omitted from the bytes when 0 or absent). */
  epochId?: bigint | number;
  /** Timestamp in nanoseconds (omitted from the bytes when 0 or absent). */
  timestamp?: bigint | number | string;
  /** The transfer agent's address (or, for payload retrieval, the validator's). */
  transferAddress: string;
  /** The executor's address (appended for `transfer_agent` and `executor` signatures). */
  executorAddress?: string;
}

const encoder = new TextEncoder();

function nonNegative(v: bigint | number | string | undefined, what: string): bigint {
  if (v === undefined) return 0n;
  let b: bigint;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
  else if (typeof v === "string" && /^[0-9]+$/.test(v)) b = BigInt(v);
  else throw new InvalidArgumentError(what, "expected a non-negative integer (bigint, safe integer or digit string)");
  if (b < 0n) throw new InvalidArgumentError(what, "must not be negative");
  return b;
}

/**
 * The string that is hashed and signed for these components.
 *
 * @example
 * ```ts
 * signatureString({ payload: "p", epochId: 12, timestamp: 5, transferAddress: "gonka1x", executorAddress: "gonka1y" }, "transfer_agent");
 * // "p125gonka1xgonka1y"
 * ```
 */
export function signatureString(components: SignatureComponents, type: SignatureType = "developer"): string {
  if (typeof components.payload !== "string") throw new InvalidArgumentError("payload", "expected a string");
  if (typeof components.transferAddress !== "string") throw new InvalidArgumentError("transferAddress", "expected a string");
  const epoch = nonNegative(components.epochId, "epochId");
  const ts = nonNegative(components.timestamp, "timestamp");
  let out = components.payload;
  if (epoch > 0n) out += epoch.toString();
  if (ts > 0n) out += ts.toString();
  out += components.transferAddress;
  if (type !== "developer") {
    if (typeof components.executorAddress !== "string") {
      throw new InvalidArgumentError("executorAddress", `is required for a ${type} signature`);
    }
    out += components.executorAddress;
  }
  return out;
}

/** Signs a string (its UTF-8 bytes' SHA-256) and returns standard base64 of the 64-byte low-S signature. */
export function signString(privateKey: PrivateKeyInput, signed: string): string {
  const secret = parsePrivateKey(privateKey);
  try {
    return base64.encode(normalizeSignature(signSha256(secret, encoder.encode(signed))));
  } finally {
    secret.fill(0);
  }
}

/**
 * Signs signature components.
 *
 * @example
 * ```ts
 * signComponents(taKey, { payload: promptHash, timestamp, transferAddress, executorAddress }, "transfer_agent");
 * ```
 */
export function signComponents(privateKey: PrivateKeyInput, components: SignatureComponents, type: SignatureType = "developer"): string {
  return signString(privateKey, signatureString(components, type));
}

/** The outcome of a verification, with the node's error text when refused. */
export interface SignatureCheck {
  accepted: boolean;
  /** `""` when accepted; otherwise the node's text (`"invalid signature"`, `"illegal base64 data at input byte N"`). */
  error: string;
}

const B64 = /^[A-Za-z0-9+/]$/;

/** Decodes standard padded base64 like Go's `base64.StdEncoding`, reporting Go's error text. */
export function decodeStdBase64(text: string): { bytes?: Uint8Array; error?: string } {
  const fail = (i: number) => ({ error: `illegal base64 data at input byte ${i}` });
  let i = 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\r" || c === "\n") continue;
    if (!B64.test(c)) break;
  }
  if (i < text.length) {
    if (text[i] !== "=") return fail(i);
    // padding: valid only as the last one or two characters of a 4-character group
    const dataLen = text.slice(0, i).replace(/[\r\n]/g, "").length;
    const pad = text.slice(i).replace(/[\r\n]/g, "");
    if (dataLen % 4 === 0 || dataLen % 4 === 1) return fail(i);
    const need = 4 - (dataLen % 4);
    if (pad !== "=".repeat(need)) return fail(i + Math.min(pad.length, need));
  } else if (text.replace(/[\r\n]/g, "").length % 4 !== 0) {
    return fail(text.length - (text.replace(/[\r\n]/g, "").length % 4));
  }
  try {
    return { bytes: base64.decode(text.replace(/[\r\n]/g, "")) };
  } catch {
    return fail(0);
  }
}

function publicKeyFromBase64(key: string | Uint8Array): { key?: Uint8Array; error?: string } {
  if (key instanceof Uint8Array) return { key };
  const d = decodeStdBase64(key);
  return d.bytes ? { key: d.bytes } : { error: d.error! };
}

/**
 * Verifies a base64 signature over signature components against one key or a list (the
 * account key plus its authz grantees; accepted when any key verifies), as the node does:
 * 64 bytes, low S (a high-S signature is refused), ECDSA over SHA-256 of the signed string.
 *
 * @example
 * ```ts
 * verifyComponents({ components, type: "developer", signature: authorization, publicKeys: [pubkeyB64] });
 * // { accepted: true, error: "" }
 * ```
 */
export function verifyComponents(args: {
  components: SignatureComponents;
  type?: SignatureType;
  /** Base64 signature (the header value). */
  signature: string;
  /** Compressed secp256k1 public keys (base64 as the chain prints them, or bytes). */
  publicKeys: readonly (string | Uint8Array)[];
}): SignatureCheck {
  const message = sha256(encoder.encode(signatureString(args.components, args.type ?? "developer")));
  if (args.publicKeys.length === 0) return { accepted: false, error: "no public key" };
  let firstError = "";
  for (const pk of args.publicKeys) {
    const key = publicKeyFromBase64(pk);
    let error: string;
    if (key.error !== undefined) error = key.error;
    else {
      const sig = decodeStdBase64(args.signature);
      if (sig.error !== undefined) error = sig.error;
      else {
        let ok = false;
        try {
          ok = sig.bytes!.length === 64 && secp256k1.verify(sig.bytes!, message, key.key!, { prehash: false, lowS: true, format: "compact" });
        } catch {
          ok = false;
        }
        if (ok) return { accepted: true, error: "" };
        error = "invalid signature";
      }
    }
    if (firstError === "") firstError = error;
  }
  return { accepted: false, error: firstError };
}

/** Arguments of {@link developerRequestHeaders}. */
export interface DeveloperRequestArgs {
  /** The developer's private key. */
  privateKey: PrivateKeyInput;
  /** The developer's `gonka1…` address (`X-Requester-Address`). */
  requesterAddress: string;
  /** The exact request body. */
  body: Uint8Array | string;
  /** `X-Timestamp` in nanoseconds. */
  timestampNs: bigint | string;
  /** The transfer agent's address (`X-Transfer-Address`). */
  transferAddress: string;
}

/** The headers a developer sends to a transfer agent (direct path). */
export interface DeveloperRequestHeaders {
  "Content-Type": "application/json";
  Authorization: string;
  "X-Requester-Address": string;
  "X-Timestamp": string;
  "X-Transfer-Address": string;
}

/**
 * Signs a request under the current scheme (`hex(sha256(body)) ‖ ts ‖ TA`) and returns the five
 * headers to send with it.
 *
 * @example
 * ```ts
 * const headers = developerRequestHeaders({ privateKey, requesterAddress, body, timestampNs, transferAddress });
 * await fetch(`${ta}/v1/chat/completions`, { method: "POST", headers, body });
 * ```
 */
export function developerRequestHeaders(args: DeveloperRequestArgs): DeveloperRequestHeaders {
  const body = typeof args.body === "string" ? encoder.encode(args.body) : args.body;
  const ts = nonNegative(args.timestampNs, "timestampNs");
  if (ts === 0n) throw new InvalidArgumentError("timestampNs", "must be positive (nodes treat 0 as missing)");
  const authorization = signComponents(args.privateKey, {
    payload: bytesToHex(sha256(body)),
    timestamp: ts,
    transferAddress: args.transferAddress,
  });
  return {
    "Content-Type": "application/json",
    Authorization: authorization,
    "X-Requester-Address": args.requesterAddress,
    "X-Timestamp": ts.toString(),
    "X-Transfer-Address": args.transferAddress,
  };
}

/** Arguments of {@link transferAgentHop}. */
export interface TransferAgentHopArgs {
  /** The transfer agent's signer key. */
  taPrivateKey: PrivateKeyInput;
  /** The developer's `Authorization` (also the inference id). */
  authorization: string;
  /** `prompt_hash` of the rewritten body for this seed. */
  promptHash: string;
  /** The `X-Seed` chosen by the transfer agent. */
  seed: number | bigint;
  /** The developer's `X-Timestamp`. */
  timestampNs: bigint | string;
  /** The transfer agent's address. */
  transferAddress: string;
  /** The developer's address. */
  requesterAddress: string;
  /** The executor's address. */
  executorAddress: string;
}

/**
 * The transfer agent's signature and the headers it sends to the executor (inference-flow.md
 * §3.1, §3.3): `X-TA-Signature` signs `prompt_hash ‖ ts ‖ TA ‖ executor`.
 */
export function transferAgentHop(args: TransferAgentHopArgs): { taSignature: string; headers: Record<string, string> } {
  const ts = nonNegative(args.timestampNs, "timestampNs");
  const taSignature = signComponents(
    args.taPrivateKey,
    { payload: args.promptHash, timestamp: ts, transferAddress: args.transferAddress, executorAddress: args.executorAddress },
    "transfer_agent",
  );
  return {
    taSignature,
    headers: {
      "X-Inference-Id": args.authorization,
      "X-Seed": String(args.seed),
      Authorization: args.authorization,
      "X-Timestamp": ts.toString(),
      "X-Transfer-Address": args.transferAddress,
      "X-Requester-Address": args.requesterAddress,
      "X-TA-Signature": taSignature,
      "X-Prompt-Hash": args.promptHash,
    },
  };
}

/**
 * The executor's signature (`MsgFinishInference.executor_signature`): the same string as the
 * transfer agent's, signed by the executor.
 */
export function executorSignature(args: {
  executorPrivateKey: PrivateKeyInput;
  promptHash: string;
  timestampNs: bigint | string;
  transferAddress: string;
  executorAddress: string;
}): string {
  return signComponents(
    args.executorPrivateKey,
    { payload: args.promptHash, timestamp: args.timestampNs, transferAddress: args.transferAddress, executorAddress: args.executorAddress },
    "executor",
  );
}

/** Which scheme a developer signature was made with. */
export type DetectedSignatureScheme = "hashed-body" | "raw-body" | "invalid";

/**
 * Tells which scheme an `Authorization` value was made with: the current `"hashed-body"`, the
 * removed `"raw-body"` (`body ‖ ts ‖ TA`, v0.2.3–v0.2.5), or `"invalid"` (neither verifies).
 */
export function detectSignatureScheme(args: {
  authorization: string;
  body: Uint8Array | string;
  timestampNs: bigint | string;
  transferAddress: string;
  /** The requester's public key(s), base64 or bytes. */
  publicKeys: readonly (string | Uint8Array)[];
}): DetectedSignatureScheme {
  const body = typeof args.body === "string" ? encoder.encode(args.body) : args.body;
  const base = { timestamp: args.timestampNs, transferAddress: args.transferAddress };
  const current = verifyComponents({
    components: { ...base, payload: bytesToHex(sha256(body)) },
    signature: args.authorization,
    publicKeys: args.publicKeys,
  });
  if (current.accepted) return "hashed-body";
  const raw = verifyComponents({
    components: { ...base, payload: new TextDecoder().decode(body) },
    signature: args.authorization,
    publicKeys: args.publicKeys,
  });
  return raw.accepted ? "raw-body" : "invalid";
}

/**
 * Throws {@link LegacySignatureSchemeError} when a request is signed with the removed raw-body
 * scheme, so callers can refuse it with a clear message instead of a node's bare 401.
 */
export function assertCurrentSignatureScheme(args: Parameters<typeof detectSignatureScheme>[0]): void {
  if (detectSignatureScheme(args) === "raw-body") throw new LegacySignatureSchemeError();
}
