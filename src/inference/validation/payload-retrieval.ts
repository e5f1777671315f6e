/**
 * How a validator fetches an inference's prompt and response payloads from the executor
 * (inference-flow.md §4, rest-upgrades.md §2.5): a signed `GET /v1/inference/payloads`, and the
 * executor's signature over the hashes of what it returns.
 */
import { InvalidArgumentError } from "../../errors.js";
import type { PrivateKeyInput } from "../keys.js";
import { sha256Hex } from "../hashes.js";
import { signComponents, verifyComponents, type SignatureCheck } from "../signature-v2.js";

/** Path of the payload route on the executor's inference URL. */
export const PAYLOADS_PATH = "/v1/inference/payloads";

/** Arguments of {@link payloadRetrievalRequest}. */
export interface PayloadRetrievalRequestArgs {
  /** The validator's signer key (account key or ML-ops grantee). */
  privateKey: PrivateKeyInput;
  /** The validator's address (`X-Validator-Address`). */
  validatorAddress: string;
  /** The inference id. */
  inferenceId: string;
  /** The inference's epoch (`X-Epoch-Id`). */
  epochId: bigint | number;
  /** Now, in nanoseconds (at most 60 s old and 10 s ahead of the executor's wall clock). */
  timestampNs: bigint | string;
}

/** The signed request. */
export interface PayloadRetrievalRequest {
  method: "GET";
  /** Path and query, the inference id URL-encoded. */
  path: string;
  headers: {
    "X-Validator-Address": string;
    "X-Timestamp": string;
    "X-Epoch-Id": string;
    Authorization: string;
  };
}

function u(v: bigint | number | string, what: string): bigint {
  if (typeof v === "bigint" && v >= 0n) return v;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && /^[0-9]+$/.test(v)) return BigInt(v);
  throw new InvalidArgumentError(what, "expected a non-negative integer");
}

/**
 * Builds the validator's payload request: `Authorization` signs
 * `inference_id ‖ dec(epoch_id) ‖ dec(timestamp_ns) ‖ validator_address`.
 *
 * @example
 * ```ts
 * const req = payloadRetrievalRequest({ privateKey, validatorAddress, inferenceId, epochId: 412n, timestampNs });
 * const res = await fetch(executorUrl + req.path, { headers: req.headers });
 * ```
 */
export function payloadRetrievalRequest(args: PayloadRetrievalRequestArgs): PayloadRetrievalRequest {
  const epoch = u(args.epochId, "epochId");
  const ts = u(args.timestampNs, "timestampNs");
  if (typeof args.inferenceId !== "string" || args.inferenceId === "") throw new InvalidArgumentError("inferenceId", "is required");
  const authorization = signComponents(args.privateKey, {
    payload: args.inferenceId,
    epochId: epoch,
    timestamp: ts,
    transferAddress: args.validatorAddress,
  });
  return {
    method: "GET",
    path: `${PAYLOADS_PATH}?inference_id=${encodeURIComponent(args.inferenceId)}`,
    headers: {
      "X-Validator-Address": args.validatorAddress,
      "X-Timestamp": ts.toString(),
      "X-Epoch-Id": epoch.toString(),
      Authorization: authorization,
    },
  };
}

/** The string the executor signs over the payloads it serves. */
export function payloadResponseSignedString(args: {
  inferenceId: string;
  promptPayload: Uint8Array | string;
  responsePayload: Uint8Array | string;
  executorAddress: string;
}): string {
  return `${args.inferenceId}${sha256Hex(args.promptPayload)}${sha256Hex(args.responsePayload)}${args.executorAddress}`;
}

/**
 * The executor's `executor_signature` over served payloads:
 * `inference_id ‖ hex(sha256(prompt_payload)) ‖ hex(sha256(response_payload)) ‖ executor_address`
 * (no timestamp).
 */
export function signPayloadResponse(args: {
  executorPrivateKey: PrivateKeyInput;
  inferenceId: string;
  promptPayload: Uint8Array | string;
  responsePayload: Uint8Array | string;
  executorAddress: string;
}): string {
  return signComponents(args.executorPrivateKey, {
    payload: `${args.inferenceId}${sha256Hex(args.promptPayload)}${sha256Hex(args.responsePayload)}`,
    transferAddress: args.executorAddress,
  });
}

/**
 * Checks the executor's signature over served payloads against its account key and grantee keys
 * (a validator does this before trusting the payloads).
 */
export function verifyPayloadResponse(args: {
  inferenceId: string;
  promptPayload: Uint8Array | string;
  responsePayload: Uint8Array | string;
  executorAddress: string;
  executorSignature: string;
  /** The executor's account key and its grantees' keys (base64 or bytes). */
  publicKeys: readonly (string | Uint8Array)[];
}): SignatureCheck {
  return verifyComponents({
    components: {
      payload: `${args.inferenceId}${sha256Hex(args.promptPayload)}${sha256Hex(args.responsePayload)}`,
      transferAddress: args.executorAddress,
    },
    signature: args.executorSignature,
    publicKeys: args.publicKeys,
  });
}
