/**
 * The MLNode seam of the validator flow. Re-running an inference with the executor's tokens
 * enforced is a forward pass of the **served model**: it needs the validator's MLNode (the
 * network's vLLM, which understands `enforced_tokens`) on a GPU. The flow reaches it only through
 * {@link ValidationMlNode}, so anything that answers it works: a real MLNode by URL
 * ({@link mlNodeFromUrl}), the devnet's fake model, or a test double.
 * @module
 */
import { InvalidArgumentError, messageOf } from "../../errors.js";
import type { FetchLike } from "../../http/index.js";
import { readPrefix } from "../bounded-read.js";
import { ValidationAbortedError, ValidationReplayError } from "./flow-errors.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "./logprobs.js";
import type { ValidatorReplayRequest } from "./replay-request.js";
import type { ValidatorReplayResponse } from "./score-validation.js";
import { startAttempt } from "../../http/attempt.js";

/** Default deadline of one re-run (vLLM with up to 5000 forced tokens can take minutes). */
export const DEFAULT_REPLAY_TIMEOUT_MS = 300_000;

/** Options the flow passes to {@link ValidationMlNode.complete}. */
export interface ValidationMlNodeCallOptions {
  signal?: AbortSignal;
  /** The inference being re-run (for error messages). */
  inferenceId?: string;
}

/**
 * The validator's own MLNode: answers the replay request (the stored prompt with
 * `enforced_tokens`, see `validatorReplayRequest`) with its HTTP status and body. A 400/422 means
 * "not servable" (scored as a pass); it should throw only when no answer came at all.
 */
export interface ValidationMlNode {
  complete(request: ValidatorReplayRequest, options?: ValidationMlNodeCallOptions): Promise<ValidatorReplayResponse>;
}

/** Options of {@link mlNodeFromUrl}. */
export interface MlNodeFromUrlOptions {
  /** Deadline of one re-run, ms (default 300 000). */
  timeoutMs?: number;
  /** Largest answer accepted, bytes (default 16 MiB). */
  maxBytes?: number;
  /** Extra headers (e.g. an `Authorization` your gateway in front of vLLM wants). */
  headers?: Record<string, string>;
  fetch?: FetchLike;
}

/** `{base}/v1/chat/completions`, or `{base}/chat/completions` when the base already ends in `/v1` (OpenAI-style). */
export function replayUrl(baseUrl: string, path: string): string {
  if (typeof baseUrl !== "string" || !/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new InvalidArgumentError("mlNode", "expected an http(s) base URL such as http://gpu-host:5000 or http://gpu-host:5000/v1");
  }
  const base = baseUrl.replace(/\/+$/, "");
  return base.endsWith("/v1") && path.startsWith("/v1/") ? `${base}${path.slice(3)}` : `${base}${path}`;
}

/**
 * An MLNode reached over HTTP: `POST {base}/v1/chat/completions` with the replay body, within a
 * deadline and a byte bound.
 *
 * @example
 * ```ts
 * const mlNode = mlNodeFromUrl("http://gpu-host:5000", { timeoutMs: 120_000 });
 * await validateInference({ chain, wallet, inferenceId, mlNode, sampling, … });
 * ```
 */
export function mlNodeFromUrl(baseUrl: string, options: MlNodeFromUrlOptions = {}): ValidationMlNode {
  const timeoutMs = options.timeoutMs ?? DEFAULT_REPLAY_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  replayUrl(baseUrl, "/v1/chat/completions"); // refuse a bad URL at once
  return {
    async complete(request, o = {}) {
      const id = o.inferenceId ?? "";
      const url = replayUrl(baseUrl, request.path);
      const attempt = startAttempt(o.signal, timeoutMs);
      try {
        if (o.signal?.aborted) throw new ValidationAbortedError("the re-run", { cause: o.signal.reason });
        let res: Response;
        try {
          res = await doFetch(url, {
            method: request.method,
            headers: { ...options.headers, ...request.headers },
            body: request.body,
            signal: attempt.signal,
            redirect: "error",
          });
        } catch (e) {
          if (o.signal?.aborted) throw new ValidationAbortedError("the re-run", { cause: e });
          if (attempt.timedOut) throw new ValidationReplayError(id, "timeout", `no answer from ${url} within ${timeoutMs} ms`, { cause: e });
          throw new ValidationReplayError(id, "unreachable", `${url}: ${messageOf(e)}`, { cause: e });
        }
        let read: { bytes: Uint8Array; truncated: boolean };
        try {
          read = await readPrefix(res, maxBytes + 1);
        } catch (e) {
          if (o.signal?.aborted) throw new ValidationAbortedError("the re-run", { cause: e });
          if (attempt.timedOut) throw new ValidationReplayError(id, "timeout", `the answer of ${url} did not complete within ${timeoutMs} ms`, { cause: e });
          throw new ValidationReplayError(id, "unreachable", `${url}: ${messageOf(e)}`, { cause: e });
        }
        if (read.truncated || read.bytes.length > maxBytes) throw new ValidationReplayError(id, "too-large", `the answer of ${url} exceeds ${maxBytes} bytes`);
        return { status: res.status, body: new TextDecoder().decode(read.bytes) };
      } finally {
        attempt.release();
      }
    },
  };
}
