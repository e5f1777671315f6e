/**
 * A minimal JSON GET for the public API calls of this module (discovery, block time, params),
 * with a timeout and typed errors. Kept local so that the module has no runtime dependency on
 * the shared HTTP core.
 */
import { TimeoutError, messageOf } from "../errors.js";
import { readPrefix } from "./bounded-read.js";
import { InferenceApiError, ResponseTooLargeError } from "./errors.js";
import { DEFAULT_MAX_JSON_BYTES, excerpt, positiveInteger, timeoutMs as checkTimeout } from "./options.js";

/** A `fetch`-compatible function. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link getJson}. */
export interface GetJsonOptions {
  /** The fetch to use; default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Per-call time limit in ms, covering the body; default 10 000. */
  timeoutMs?: number;
  /** Largest body read, counted after decompression; default 16 MiB. */
  maxBytes?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** Removes trailing slashes from a base URL. */
export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, "");
}

/**
 * GETs `url` and parses JSON; throws {@link InferenceApiError}, {@link TimeoutError} or
 * {@link ResponseTooLargeError}. The time limit covers the whole body, the byte limit applies to
 * the decoded body, and an error quotes at most a short excerpt of what the server said.
 */
export async function getJson(url: string, options: GetJsonOptions = {}): Promise<unknown> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = checkTimeout("timeoutMs", options.timeoutMs, 10_000);
  const maxBytes = positiveInteger("maxBytes", options.maxBytes, DEFAULT_MAX_JSON_BYTES);
  const shown = displayUrl(url);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const timedOut = () => controller.signal.aborted && !options.signal?.aborted;
  try {
    let res: Response;
    try {
      res = await doFetch(url, { method: "GET", headers: { accept: "application/json" }, signal: controller.signal, redirect: "manual" });
    } catch (err) {
      if (timedOut()) throw new TimeoutError(`GET ${shown}`, timeoutMs, { cause: err });
      throw new InferenceApiError(shown, messageOf(err), { cause: err });
    }
    let read: { bytes: Uint8Array; truncated: boolean };
    try {
      read = await readPrefix(res, maxBytes);
    } catch (err) {
      if (timedOut()) throw new TimeoutError(`GET ${shown}`, timeoutMs, { cause: err });
      throw new InferenceApiError(shown, `reading the body failed: ${messageOf(err)}`, { status: res.status, cause: err });
    }
    const text = new TextDecoder().decode(read.bytes);
    if (!res.ok) {
      const what = res.status >= 300 && res.status < 400 ? "a redirect (not followed)" : excerpt(text);
      throw new InferenceApiError(shown, `HTTP ${res.status} ${what}`, { status: res.status });
    }
    if (read.truncated) throw new ResponseTooLargeError(shown, maxBytes, { details: "Raise maxBytes if this document is legitimate." });
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new InferenceApiError(shown, "the response is not JSON", { status: res.status, cause: err });
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** A URL as shown in errors: no user name or password, no query, at most 200 characters. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    u.hash = "";
    return excerpt(u.toString());
  } catch {
    return `<not a URL, ${url.length} characters>`;
  }
}

/** Reads `obj[k1][k2]…` from untyped JSON, or undefined. */
export function pick(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
