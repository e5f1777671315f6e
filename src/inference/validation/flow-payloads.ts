/**
 * The validator's payload retrieval (inference-flow.md §4) as one bounded call: a signed
 * `GET {executor}/v1/inference/payloads`, a deadline over the whole exchange, a byte bound on the
 * answer, then the checks a validator makes before trusting the payloads: the executor's
 * signature against its keys, and both payload hashes against the chain's record.
 * @module
 */
import { base64 } from "@scure/base";
import { messageOf } from "../../errors.js";
import type { FetchLike } from "../../http/index.js";
import { readPrefix } from "../bounded-read.js";
import { responseHash, storedPromptPayloadHash } from "../hashes.js";
import { signatureString } from "../signature-v2.js";
import { PayloadRetrievalError, ValidationAbortedError } from "./flow-errors.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "./logprobs.js";
import { PAYLOADS_PATH, verifyPayloadResponse } from "./payload-retrieval.js";
import { startAttempt } from "../../http/attempt.js";

/** Default deadline of one payload request, ms. */
export const DEFAULT_PAYLOAD_TIMEOUT_MS = 20_000;

/** What signs the payload request: the validator's key or its warm key (anything with `signBytes`). */
export interface PayloadRequestSigner {
  readonly address: string;
  /** Signs `sha256(bytes)`: 64-byte compact low-S signature. */
  signBytes(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** The payloads as served (bytes as decoded from base64). */
export interface InferencePayloads {
  promptPayload: Uint8Array;
  responsePayload: Uint8Array;
  /** The executor's signature over both hashes (base64); absent for payloads given by the caller without one. */
  executorSignature?: string;
}

/** Arguments of {@link fetchInferencePayloads}. */
export interface FetchInferencePayloadsArgs {
  /** The executor's `inference_url` (its public API base). */
  executorUrl: string;
  inferenceId: string;
  /** The inference's epoch (`X-Epoch-Id`, signed). */
  epochId: bigint;
  /** The validator's account address (`X-Validator-Address`, signed). */
  validatorAddress: string;
  signer: PayloadRequestSigner;
  /** Largest payload accepted, bytes (each; default 16 MiB). */
  maxPayloadBytes?: number;
  /** Deadline of the whole exchange, ms (default 20 000). */
  timeoutMs?: number;
  /** Unix ns of the request (default now). */
  timestampNs?: bigint;
  fetch?: FetchLike;
  signal?: AbortSignal;
}

/** Signs the request the way `payloadRetrievalRequest` does, with any signer (a wallet, a warm key). */
async function signedHeaders(a: FetchInferencePayloadsArgs, ts: bigint): Promise<Record<string, string>> {
  const signed = signatureString({ payload: a.inferenceId, epochId: a.epochId, timestamp: ts, transferAddress: a.validatorAddress });
  const sig = await a.signer.signBytes(new TextEncoder().encode(signed));
  return {
    "X-Validator-Address": a.validatorAddress,
    "X-Timestamp": ts.toString(),
    "X-Epoch-Id": a.epochId.toString(),
    Authorization: base64.encode(sig),
  };
}

function b64(field: unknown, name: string, id: string): Uint8Array {
  if (typeof field !== "string") throw new PayloadRetrievalError(id, "malformed", `${name} is missing or not a string`);
  try {
    return base64.decode(field);
  } catch (e) {
    throw new PayloadRetrievalError(id, "malformed", `${name} is not standard base64`, { cause: e });
  }
}

/**
 * Fetches an inference's payloads from its executor, signed by the validator, within a deadline
 * and a byte bound. Only decodes them: check them with {@link checkInferencePayloads}.
 *
 * @example
 * ```ts
 * const p = await fetchInferencePayloads({ executorUrl, inferenceId, epochId: inf.epochId, validatorAddress: wallet.address, signer: wallet });
 * ```
 * @throws {PayloadRetrievalError} (`failure` says what went wrong and whether a retry may help).
 */
export async function fetchInferencePayloads(a: FetchInferencePayloadsArgs): Promise<InferencePayloads> {
  const id = a.inferenceId;
  const maxPayload = a.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  // two base64 payloads plus the JSON around them
  const maxBytes = 2 * Math.ceil((maxPayload * 4) / 3) + 64 * 1024;
  const timeoutMs = a.timeoutMs ?? DEFAULT_PAYLOAD_TIMEOUT_MS;
  const url = `${a.executorUrl.replace(/\/+$/, "")}${PAYLOADS_PATH}?inference_id=${encodeURIComponent(id)}`;
  const headers = await signedHeaders(a, a.timestampNs ?? BigInt(Date.now()) * 1_000_000n);
  const doFetch: FetchLike = a.fetch ?? ((input, init) => fetch(input, init));
  const attempt = startAttempt(a.signal, timeoutMs);
  const failed = (e: unknown, what: string): never => {
    if (a.signal?.aborted) throw new ValidationAbortedError("payload retrieval", { cause: e });
    if (attempt.timedOut) throw new PayloadRetrievalError(id, "timeout", `${what} did not complete within ${timeoutMs} ms`, { cause: e });
    throw new PayloadRetrievalError(id, "unreachable", `${url}: ${messageOf(e)}`, { cause: e });
  };
  try {
    if (a.signal?.aborted) throw new ValidationAbortedError("payload retrieval", { cause: a.signal.reason });
    let res: Response;
    try {
      res = await doFetch(url, { method: "GET", headers, signal: attempt.signal, redirect: "error" });
    } catch (e) {
      return failed(e, "the request");
    }
    const declared = Number(res.headers.get("content-length") ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      void res.body?.cancel().catch(() => undefined);
      throw new PayloadRetrievalError(id, "too-large", `the answer declares ${declared} bytes, more than ${maxBytes}`, { status: res.status });
    }
    let read: { bytes: Uint8Array; truncated: boolean };
    try {
      read = await readPrefix(res, maxBytes + 1);
    } catch (e) {
      return failed(e, "the answer");
    }
    if (read.truncated || read.bytes.length > maxBytes) throw new PayloadRetrievalError(id, "too-large", `the answer exceeds ${maxBytes} bytes`, { status: res.status });
    const text = new TextDecoder().decode(read.bytes);
    if (res.status === 404) throw new PayloadRetrievalError(id, "not-found", "the executor answered 404 (payloads pruned)", { status: 404 });
    if (res.status === 408 || res.status === 429 || res.status >= 500) {
      throw new PayloadRetrievalError(id, "http-transient", `the executor answered ${res.status}: ${text.slice(0, 200)}`, { status: res.status });
    }
    if (res.status !== 200) throw new PayloadRetrievalError(id, "http-refused", `the executor answered ${res.status}: ${text.slice(0, 200)}`, { status: res.status });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new PayloadRetrievalError(id, "malformed", "the answer is not JSON", { cause: e, status: 200 });
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new PayloadRetrievalError(id, "malformed", "the answer is not a JSON object", { status: 200 });
    if (body["inference_id"] !== undefined && body["inference_id"] !== id) {
      throw new PayloadRetrievalError(id, "malformed", "the answer is for another inference", { status: 200 });
    }
    const promptPayload = b64(body["prompt_payload"], "prompt_payload", id);
    const responsePayload = b64(body["response_payload"], "response_payload", id);
    for (const [name, p] of [["prompt_payload", promptPayload], ["response_payload", responsePayload]] as const) {
      if (p.length > maxPayload) throw new PayloadRetrievalError(id, "too-large", `${name} is ${p.length} bytes, more than ${maxPayload}`, { status: 200 });
    }
    const executorSignature = body["executor_signature"];
    if (typeof executorSignature !== "string" || executorSignature === "") throw new PayloadRetrievalError(id, "malformed", "executor_signature is missing", { status: 200 });
    return { promptPayload, responsePayload, executorSignature };
  } finally {
    attempt.release();
  }
}

/** Arguments of {@link checkInferencePayloads}. */
export interface CheckInferencePayloadsArgs {
  inferenceId: string;
  payloads: InferencePayloads;
  /** The inference's on-chain `prompt_hash` and `response_hash`. */
  promptHash: string;
  responseHash: string;
  /** Checks `executorSignature` when given: the executor's address and its account and grantee keys. */
  executor?: { address: string; publicKeys: readonly (string | Uint8Array)[] };
}

/**
 * The checks a validator makes before trusting payloads: the executor's signature over both
 * hashes (when `executor` is given), `sha256(canonical(prompt_payload)) == prompt_hash` and
 * `sha256(response_payload) == response_hash`.
 *
 * @throws {PayloadRetrievalError} with `failure` `"bad-signature"` or `"hash-mismatch"`.
 */
export function checkInferencePayloads(a: CheckInferencePayloadsArgs): void {
  const { promptPayload, responsePayload, executorSignature } = a.payloads;
  if (a.executor) {
    const check = verifyPayloadResponse({
      inferenceId: a.inferenceId,
      promptPayload,
      responsePayload,
      executorAddress: a.executor.address,
      executorSignature: executorSignature ?? "",
      publicKeys: a.executor.publicKeys,
    });
    if (!check.accepted) throw new PayloadRetrievalError(a.inferenceId, "bad-signature", `the executor's signature does not verify (${check.error || "invalid signature"})`);
  }
  let prompt: string;
  try {
    prompt = storedPromptPayloadHash(promptPayload);
  } catch (e) {
    throw new PayloadRetrievalError(a.inferenceId, "hash-mismatch", "the prompt payload is not a JSON object", { cause: e });
  }
  if (prompt !== a.promptHash) throw new PayloadRetrievalError(a.inferenceId, "hash-mismatch", `prompt payload hash ${prompt} differs from the chain's prompt_hash ${a.promptHash}`);
  const response = responseHash(responsePayload);
  if (response !== a.responseHash) throw new PayloadRetrievalError(a.inferenceId, "hash-mismatch", `response payload hash ${response} differs from the chain's response_hash ${a.responseHash}`);
}
