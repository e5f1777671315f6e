/**
 * The PoC v2 callback URL: `{callback base}/v2/poc-batches/{model id path-escaped twice}`, as the
 * network node builds it for the MLNode (`url` of `inference/pow/init/generate`), and its parsing
 * on the receiving side (the handler path-unescapes the segment once more after HTTP decoding).
 * Pure functions; Go's `url.PathEscape` reproduced byte for byte.
 * @module
 */
import { InvalidArgumentError } from "../errors.js";

/** The route prefix of the PoC v2 callbacks on the network node's callback port (9100). */
export const POC_V2_CALLBACK_PREFIX = "/v2/poc-batches";

const HEX = "0123456789ABCDEF";

/**
 * Go `url.PathEscape`: keeps `A–Z a–z 0–9 - _ . ~ $ & + : = @`, percent-encodes every other UTF-8
 * byte with upper-case hex (so `/` → `%2F`, space → `%20`, `%` → `%25`, and `; , ?` too).
 *
 * @example
 * ```ts
 * goPathEscape("Qwen/Qwen3"); // "Qwen%2FQwen3"
 * ```
 */
export function goPathEscape(value: string): string {
  if (typeof value !== "string") throw new InvalidArgumentError("value", "expected a string");
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~$&+:=@]/.test(c)) out += c;
    else out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

/**
 * Go `url.PathUnescape`: decodes `%XX` (either case); `+` stays `+`.
 *
 * @throws {InvalidArgumentError} for a malformed escape (`%` not followed by two hex digits), as
 * Go returns an error there, and for decoded bytes that are not UTF-8 (a JavaScript string cannot
 * hold them faithfully).
 *
 * @example
 * ```ts
 * goPathUnescape("Qwen%2FQwen3"); // "Qwen/Qwen3"
 * ```
 */
export function goPathUnescape(value: string): string {
  if (typeof value !== "string") throw new InvalidArgumentError("value", "expected a string");
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === "%") {
      const pair = value.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(pair)) throw new InvalidArgumentError("path", `invalid URL escape "%${pair}" at character ${i}`);
      bytes.push(parseInt(pair, 16));
      i += 2;
    } else {
      for (const b of new TextEncoder().encode(ch)) bytes.push(b);
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes));
  } catch (e) {
    throw new InvalidArgumentError("path", "decodes to bytes that are not UTF-8", { cause: e });
  }
}

/** {@link goPathUnescape}, or `undefined` where it throws. */
function tryPathUnescape(value: string): string | undefined {
  try {
    return goPathUnescape(value);
  } catch {
    return undefined;
  }
}

/**
 * The callback base URL the network node gives an MLNode for one model:
 * `{base}/v2/poc-batches/{PathEscape(PathEscape(modelId))}`. The MLNode then POSTs to
 * `{url}/generated` and `{url}/validated`.
 *
 * @example
 * ```ts
 * pocV2CallbackUrl("http://api:9100", "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8");
 * // "http://api:9100/v2/poc-batches/Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8"
 * ```
 */
export function pocV2CallbackUrl(base: string, modelId: string): string {
  if (typeof modelId !== "string" || modelId === "") throw new InvalidArgumentError("modelId", "a model id is required");
  if (typeof base !== "string" || !/^https?:\/\/[^/]/.test(base))
    throw new InvalidArgumentError("base", `${JSON.stringify(base)} is not an absolute http(s) URL (e.g. "http://api:9100")`);
  return `${base.replace(/\/+$/, "")}${POC_V2_CALLBACK_PREFIX}/${goPathEscape(goPathEscape(modelId))}`;
}

/** A parsed PoC v2 callback path. */
export type PocV2CallbackRoute =
  | { ok: true; modelId: string; kind: "generated" | "validated" }
  | { ok: false; status: 400 | 404; error: string };

/**
 * Parses the request path of a PoC v2 callback as the network node does. `rawPath` is the path as
 * sent on the wire (still percent-encoded), e.g. `/v2/poc-batches/Qwen%252FQwen3/generated`.
 * Answers like the node: 404 for another route, 400 `"model_id required"` for an empty segment,
 * 400 `"invalid model_id"` when a decoding step fails.
 *
 * @example
 * ```ts
 * parsePocV2CallbackPath("/v2/poc-batches/moonshotai%252FKimi-K2.6/validated");
 * // { ok: true, modelId: "moonshotai/Kimi-K2.6", kind: "validated" }
 * ```
 */
export function parsePocV2CallbackPath(rawPath: string, prefix: string = POC_V2_CALLBACK_PREFIX): PocV2CallbackRoute {
  const base = prefix.replace(/\/+$/, "");
  if (!rawPath.startsWith(`${base}/`)) return { ok: false, status: 404, error: "Not Found" };
  const rest = rawPath.slice(base.length + 1);
  const slash = rest.lastIndexOf("/");
  const kind = slash >= 0 ? rest.slice(slash + 1) : "";
  const segment = slash >= 0 ? rest.slice(0, slash) : rest;
  if ((kind !== "generated" && kind !== "validated") || segment.includes("/")) return { ok: false, status: 404, error: "Not Found" };
  if (segment === "") return { ok: false, status: 400, error: "model_id required" };
  const once = tryPathUnescape(segment); // what the HTTP server hands the router
  const modelId = once === undefined ? undefined : tryPathUnescape(once); // what the handler unescapes
  if (modelId === undefined) return { ok: false, status: 400, error: "invalid model_id" };
  if (modelId === "") return { ok: false, status: 400, error: "model_id required" };
  return { ok: true, modelId, kind };
}
