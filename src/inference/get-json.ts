/**
 * A minimal JSON GET for the public API calls of this module (discovery, block time, params),
 * with a timeout and typed errors. Kept local so that the module has no runtime dependency on
 * the shared HTTP core.
 */
import { TimeoutError, messageOf } from "../errors.js";
import { InferenceApiError } from "./errors.js";

/** A `fetch`-compatible function. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link getJson}. */
export interface GetJsonOptions {
  /** The fetch to use; default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Per-call time limit in ms; default 10 000. */
  timeoutMs?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** Removes trailing slashes from a base URL. */
export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, "");
}

/** GETs `url` and parses JSON; throws {@link InferenceApiError} or {@link TimeoutError}. */
export async function getJson(url: string, options: GetJsonOptions = {}): Promise<unknown> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    let res: Response;
    try {
      res = await doFetch(url, { method: "GET", headers: { accept: "application/json" }, signal: controller.signal });
    } catch (err) {
      if (controller.signal.aborted && !options.signal?.aborted) throw new TimeoutError(`GET ${url}`, timeoutMs, { cause: err });
      throw new InferenceApiError(url, messageOf(err), { cause: err });
    }
    const text = await res.text();
    if (!res.ok) {
      throw new InferenceApiError(url, `HTTP ${res.status} ${text.slice(0, 200)}`, { status: res.status });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new InferenceApiError(url, "the response is not JSON", { status: res.status, cause: err });
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
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
