/**
 * The callback URL the API node gives the MLNode (spec §7.1, §8): `{base}/v2/poc-batches/{model}`,
 * the model id path-escaped **twice** (Go's `url.PathEscape`), so `Qwen/Qwen3…` travels as
 * `Qwen%252FQwen3…`. vLLM appends `/generated` or `/validated`.
 */
import { InvalidArgumentError } from "../../errors.js";
import { utf8 } from "./bytes.js";

const KEEP = /[A-Za-z0-9\-_.~$&+:=@]/;

/**
 * Go's `url.PathEscape`: keeps letters, digits, `-_.~` and `$&+:=@`; escapes every other byte of
 * the UTF-8 form as `%XX` (upper-case hex), `/`, `;`, `,` and `?` included.
 *
 * @example
 * ```ts
 * goPathEscape("a b%c"); // "a%20b%25c"
 * ```
 */
export function goPathEscape(s: string): string {
  if (typeof s !== "string") throw new InvalidArgumentError("s", "expected a string");
  let out = "";
  for (const b of utf8(s)) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && KEEP.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * Go's `url.PathUnescape`: decodes `%XX` sequences (either case) to bytes, then UTF-8.
 *
 * @throws {InvalidArgumentError} for a malformed escape (`%` not followed by two hex digits).
 */
export function goPathUnescape(s: string): string {
  if (typeof s !== "string") throw new InvalidArgumentError("s", "expected a string");
  const bytes: number[] = [];
  const src = utf8(s);
  for (let i = 0; i < src.length; i++) {
    if (src[i] !== 0x25) {
      bytes.push(src[i]);
      continue;
    }
    const hex = String.fromCharCode(src[i + 1] ?? 0, src[i + 2] ?? 0);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new InvalidArgumentError("path", `invalid URL escape "%${hex}" at byte ${i}`);
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(new Uint8Array(bytes));
}

/**
 * The callback base URL of a model: `{callbackBase}/v2/poc-batches/{PathEscape(PathEscape(modelId))}`
 * (one trailing `/` of the base is dropped). The same URL serves generation and validation.
 *
 * @example
 * ```ts
 * pocCallbackUrl("http://api:9100", "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8");
 * // "http://api:9100/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8"
 * ```
 */
export function pocCallbackUrl(callbackBase: string, modelId: string): string {
  if (typeof callbackBase !== "string" || callbackBase.length === 0) throw new InvalidArgumentError("callbackBase", "expected a URL string");
  if (typeof modelId !== "string" || modelId.length === 0) throw new InvalidArgumentError("modelId", "expected a non-empty string");
  const base = callbackBase.endsWith("/") ? callbackBase.slice(0, -1) : callbackBase;
  return `${base}/v2/poc-batches/${goPathEscape(goPathEscape(modelId))}`;
}

/**
 * The model id from the raw (still escaped) `{model}` path segment of a callback request
 * (`Qwen%252FQwen3…` → `Qwen/Qwen3…`): unescaped twice, once for the HTTP path and once as the
 * API node's handler does.
 */
export function modelIdFromCallbackSegment(rawSegment: string): string {
  return goPathUnescape(goPathUnescape(rawSegment));
}
