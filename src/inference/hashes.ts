/**
 * The hashes the network records for an inference (inference-flow.md §2.3, §3.2, §3.6):
 *
 * - `original_prompt_hash` = `hex(sha256(raw request body))` — also the `payload` the developer signs;
 * - `prompt_hash` = `hex(sha256(prompt_payload))`, the canonical JSON of the body as the transfer
 *   agent and executor rewrite it (logprobs forced on, seed, max tokens, …);
 * - `response_hash` = `hex(sha256(response_payload))`, the executor's re-encoded JSON body, or for
 *   streams `{"events":[<every line as sent>]}`.
 *
 * @example
 * ```ts
 * import { originalPromptHash, promptHash, responseHash } from "gonka-sdk/inference";
 * originalPromptHash(body);                     // "379a2a74…"
 * promptHash({ body, seed: 1911974985 });       // "be04a3d9…"
 * responseHash(storedResponsePayload);          // "2db60818…"
 * ```
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { InvalidArgumentError } from "../errors.js";
import { goJsonStringify } from "./validation/go-json.js";
import { canonicalPromptPayload, rewriteInferenceBody, type RewriteInferenceBodyArgs } from "./validation/prompt-rewrite.js";

const encoder = new TextEncoder();

function bytesOf(input: Uint8Array | string, what: string): Uint8Array {
  if (typeof input === "string") return encoder.encode(input);
  if (input instanceof Uint8Array) return input;
  throw new InvalidArgumentError(what, "expected a string or a Uint8Array");
}

/** `hex(sha256(bytes))` of a string (UTF-8) or bytes. */
export function sha256Hex(input: Uint8Array | string): string {
  return bytesToHex(sha256(bytesOf(input, "input")));
}

/**
 * `original_prompt_hash`: SHA-256 (lowercase hex) of the raw request body exactly as sent —
 * the same string the developer's signature covers.
 */
export function originalPromptHash(body: Uint8Array | string): string {
  return bytesToHex(sha256(bytesOf(body, "body")));
}

/** What {@link promptHashes} returns. */
export interface PromptHashes {
  /** `hex(sha256(raw body))`. */
  originalPromptHash: string;
  /** The rewritten body the node forwards to vLLM. */
  modifiedBody: string;
  /** The canonical prompt payload the executor stores and serves to validators. */
  promptPayload: string;
  /** `hex(sha256(promptPayload))`. */
  promptHash: string;
}

/**
 * Rewrites a request body as the transfer agent and executor do, and returns the prompt payload
 * with both prompt hashes. Throws `PromptRewriteError` (with the node's 400 reason) when the body
 * fails the node's message checks.
 */
export function promptHashes(args: RewriteInferenceBodyArgs): PromptHashes {
  const { modifiedBody, promptPayload } = rewriteInferenceBody(args);
  return {
    originalPromptHash: originalPromptHash(args.body),
    modifiedBody,
    promptPayload,
    promptHash: sha256Hex(promptPayload),
  };
}

/** `prompt_hash` of a request body for a given `X-Seed` (and `logprobs_mode`, default `"processed_logprobs"`). */
export function promptHash(args: RewriteInferenceBodyArgs): string {
  return promptHashes(args).promptHash;
}

/**
 * `prompt_hash` of a stored prompt payload as a validator checks it: the payload is parsed and
 * re-encoded canonically first, then hashed.
 */
export function storedPromptPayloadHash(payload: Uint8Array | string): string {
  return sha256Hex(canonicalPromptPayload(payload));
}

/** `response_hash`: SHA-256 (lowercase hex) of the response payload bytes as stored by the executor. */
export function responseHash(responsePayload: Uint8Array | string): string {
  return sha256Hex(responsePayload);
}

/**
 * The response payload an executor stores for a streamed answer: `{"events":[…]}` with every SSE
 * line as it was sent (`"data: {…}"`, `"data: [DONE]"`), encoded by Go's encoding/json (HTML
 * characters escaped). Its SHA-256 is the stream's `response_hash`.
 */
export function streamedResponsePayload(lines: readonly string[]): string {
  if (!Array.isArray(lines) || lines.some((l) => typeof l !== "string")) {
    throw new InvalidArgumentError("lines", "expected an array of SSE line strings");
  }
  return goJsonStringify({ events: [...lines] });
}
