/**
 * The callback URL the API node gives the MLNode (spec §7.1, §8): `{base}/v2/poc-batches/{model}`,
 * the model id path-escaped **twice** (Go's `url.PathEscape`), so `Qwen/Qwen3…` travels as
 * `Qwen%252FQwen3…`. vLLM appends `/generated` or `/validated`. One implementation, in
 * `src/mlnode/callback-path.ts` (the receiver parses it there); these are the PoC v2 names.
 */
import { goPathUnescape, pocV2CallbackUrl } from "../../mlnode/callback-path.js";

export { goPathEscape, goPathUnescape } from "../../mlnode/callback-path.js";

/**
 * The callback base URL of a model: `{callbackBase}/v2/poc-batches/{PathEscape(PathEscape(modelId))}`
 * (trailing `/` of the base dropped). The same URL serves generation and validation.
 *
 * @throws {InvalidArgumentError} for an empty model id or a base that is not an absolute http(s) URL.
 *
 * @example
 * ```ts
 * pocCallbackUrl("http://api:9100", "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8");
 * // "http://api:9100/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8"
 * ```
 */
export function pocCallbackUrl(callbackBase: string, modelId: string): string {
  return pocV2CallbackUrl(callbackBase, modelId);
}

/**
 * The model id from the raw (still escaped) `{model}` path segment of a callback request
 * (`Qwen%252FQwen3…` → `Qwen/Qwen3…`): unescaped twice, once for the HTTP path and once as the
 * API node's handler does.
 *
 * @throws {InvalidArgumentError} for a malformed escape.
 */
export function modelIdFromCallbackSegment(rawSegment: string): string {
  return goPathUnescape(goPathUnescape(rawSegment));
}
