/**
 * The shared fetch core used by every REST client of the SDK (MLNode, admin, public API, chain
 * REST, CometBFT RPC): base URL, per-request timeout, retries for idempotent calls only, and
 * mapping of every failure onto a typed error from `./errors.ts`.
 * @module
 */
import { InvalidArgumentError } from "../errors.js";
import {
  httpErrorFor,
  HttpTimeoutError,
  NetworkError,
  RequestAbortedError,
  ResponseParseError,
  RateLimitError,
  ResponseSchemaError,
  ResponseTooLargeError,
  RedirectRefusedError,
  RetryLaterError,
  retryAfterMsOf,
} from "./errors.js";
import { ShapeMismatch, type Shape } from "./shape.js";
import { buildUrl, normaliseBaseUrl, splitUserInfo, type QueryValue } from "./url.js";
import { readPrefix } from "./body.js";

/** The `fetch` signature the core needs; pass your own to add logging, proxies or mocks. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Headers, or a function that returns them for each attempt (e.g. for fresh auth tokens). */
export type HeadersSource = Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

/** HTTP methods the core sends. */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** How the response body is read. */
export type ResponseType = "json" | "text" | "auto" | "none";

/** Options of {@link createHttpCore}. */
export interface HttpCoreOptions {
  /** Absolute base URL, optionally with a path prefix: `http://127.0.0.1:8000/api`. */
  baseUrl: string;
  /**
   * Time limit per attempt (connect + headers + whole body), ms. Default 30 000. `0` disables it.
   * At most 2 147 483 647 (about 24.8 days, the largest timer); more, NaN or a negative value
   * throws `InvalidArgumentError`.
   */
  timeoutMs?: number;
  /**
   * Largest response body read, in bytes, counted after decompression (a gzip bomb stops here).
   * A larger 2xx body throws `ResponseTooLargeError`; an error body is cut to 64 KiB. Default
   * 16 MiB (16 777 216).
   */
  maxResponseBytes?: number;
  /**
   * How many same-origin redirects a GET/HEAD follows. Default 3; `0` refuses every redirect.
   * Redirects to another origin (scheme, host or port) are never followed, so headers such as
   * `Authorization` and bodies never reach another server: they throw `RedirectRefusedError`.
   */
  maxRedirects?: number;
  /**
   * Follow same-origin redirects of POST/PUT/PATCH/DELETE too (307/308 resend the body; 301/302/303
   * continue as a GET without it). Default false: such a redirect throws `RedirectRefusedError`.
   */
  followPostRedirects?: boolean;
  /** Extra attempts for idempotent requests after a network error, timeout, 408/425/429/502/503/504. Default 2. */
  retries?: number;
  /**
   * First retry delay in ms, doubled each attempt with jitter (capped at 5 s; a server's
   * `Retry-After` wins). Default 200.
   */
  retryDelayMs?: number;
  /**
   * Longest `Retry-After` (ms) this client waits for. A 429/503 asking for more is thrown at once
   * as `RateLimitError`/`ServiceUnavailableError` (with `retryAfterMs`) instead of sleeping.
   * While a rate-limit window is open (a 429, nginx's 503, or any 429/503 with `Retry-After`),
   * every request of this client waits for it, so concurrent calls do not hammer the node.
   * Default 30 000.
   */
  maxRetryAfterMs?: number;
  /** Custom fetch (default `globalThis.fetch`). */
  fetch?: FetchLike;
  /** Headers added to every request. */
  headers?: HeadersSource;
  /**
   * JSON parser for response bodies (default `JSON.parse`). Plug in a lossless parser when exact
   * 64-bit integers matter (Go servers write int64 as bare JSON numbers); a throw reads as
   * `ResponseParseError`.
   */
  parseJson?: (text: string) => unknown;
}

/** One request. */
export interface RequestOptions<T> {
  /** Default `GET`. */
  method?: HttpMethod;
  /** Route appended to the base URL, e.g. `/api/v1/state`. Percent-encode ids with `pathSegment`. */
  path: string;
  /** Query parameters. */
  query?: Record<string, QueryValue>;
  /** JSON body (serialised with `JSON.stringify`, sent with `Content-Type: application/json`). */
  body?: unknown;
  /** A body sent as-is (takes precedence over `body`); set its Content-Type in `headers`. */
  rawBody?: string | Uint8Array;
  /** Extra headers for this request. */
  headers?: Record<string, string>;
  /** How to read a 2xx body. Default `json` (an empty body reads as `undefined`). */
  responseType?: ResponseType;
  /** Runtime check of a 2xx JSON body; a mismatch throws `ResponseSchemaError`. */
  shape?: Shape<T>;
  /** Safe to repeat? Default: true for GET, HEAD, OPTIONS; false otherwise. Only idempotent requests are retried. */
  idempotent?: boolean;
  /** Overrides the core's timeout for this request. */
  timeoutMs?: number;
  /** Overrides the core's retries for this request. */
  retries?: number;
  /** Cancels the request (and pending retries). */
  signal?: AbortSignal;
  /** A sharper hint for an error status than the generic one (`details` of the `HttpError`). */
  errorHint?: (status: number, body: unknown) => string | undefined;
}

/** A response as returned by {@link HttpCore.send}. */
export interface HttpResult<T> {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** Final URL of the request. */
  url: string;
  /** Parsed (and checked) body. */
  data: T;
}

/** A configured HTTP core; see {@link createHttpCore}. */
export interface HttpCore {
  /** The normalised base URL (no trailing slash). */
  readonly baseUrl: string;
  /** Sends a request and returns the parsed 2xx body. */
  request<T = unknown>(options: RequestOptions<T>): Promise<T>;
  /** Sends a request and returns status, headers and the parsed 2xx body. */
  send<T = unknown>(options: RequestOptions<T>): Promise<HttpResult<T>>;
  /** The URL a request with this path and query would use. */
  url(path: string, query?: Record<string, QueryValue>): string;
}

const RETRY_STATUSES = new Set([408, 425, 429, 502, 503, 504]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** The longest delay a timer can hold (Node and browsers fire at once above it). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** Default {@link HttpCoreOptions.maxResponseBytes}: 16 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** How much of an error body is kept (for its message and `body`). */
const ERROR_BODY_BYTES = 64 * 1024;
const MAX_RETRY_DELAY_MS = 5_000;

/** Backoff for retry `index` (0-based): `base · 2^index`, capped, with "equal jitter" (½…1 of it). */
function backoffMs(base: number, index: number): number {
  const full = Math.min(base * 2 ** index, MAX_RETRY_DELAY_MS);
  return full / 2 + Math.random() * (full / 2);
}

function checkCount(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError(name, `${value} is not a non-negative number`);
  return value;
}

/** A time in ms for a timer: finite, 0 … {@link MAX_TIMEOUT_MS}. */
function checkTimeMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > MAX_TIMEOUT_MS) {
    throw new InvalidArgumentError(name, `${String(value)} is not a time in ms from 0 to ${MAX_TIMEOUT_MS}`, {
      details: "Pass a finite number of milliseconds; 0 disables the limit where the option allows it.",
    });
  }
  return value;
}

function checkInteger(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new InvalidArgumentError(name, `${String(value)} is not an integer from 0 to ${max}`);
  }
  return value;
}

/**
 * Reads a body with a running byte count (on the decoded stream). Over `limit`: `"throw"` returns
 * `undefined` (the rest is cancelled); `"truncate"` keeps the first `limit` bytes.
 */
async function readBounded(response: Response, limit: number, mode: "throw" | "truncate"): Promise<string | undefined> {
  const { bytes, truncated } = await readPrefix(response, limit);
  if (truncated && mode === "throw") return undefined;
  return new TextDecoder().decode(bytes);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function parseErrorBody(text: string, parse: (text: string) => unknown): unknown {
  if (text.trim() === "") return undefined;
  try {
    return parse(text);
  } catch {
    return text;
  }
}

class Attempt {
  constructor(
    readonly error: unknown,
    readonly retryable: boolean,
    readonly delayHintMs?: number,
  ) {}
}

/**
 * Creates the shared HTTP core.
 *
 * @example
 * ```ts
 * const http = createHttpCore({ baseUrl: "http://127.0.0.1:8000", timeoutMs: 10_000, retries: 2 });
 * const status = await http.request<{ status: string }>({ path: "/v1/status" });
 * const tx = await http.request({ method: "POST", path: "/cosmos/tx/v1beta1/txs", body: { tx_bytes, mode: "BROADCAST_MODE_SYNC" } });
 * ```
 */
export function createHttpCore(options: HttpCoreOptions): HttpCore {
  // A `user:password@` in the base URL becomes a Basic header: fetch refuses such URLs, and
  // no message should show the password.
  const { url: baseUrl, authorization: userInfoAuth } = splitUserInfo(normaliseBaseUrl(options.baseUrl));
  const defaultTimeout = checkTimeMs("timeoutMs", options.timeoutMs, 30_000);
  const defaultRetries = checkCount("retries", options.retries, 2);
  const retryDelayMs = checkTimeMs("retryDelayMs", options.retryDelayMs, 200);
  const maxRetryAfterMs = checkTimeMs("maxRetryAfterMs", options.maxRetryAfterMs, 30_000);
  const maxResponseBytes = checkInteger("maxResponseBytes", options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, Number.MAX_SAFE_INTEGER);
  const maxRedirects = checkInteger("maxRedirects", options.maxRedirects, 3, 20);
  const followPostRedirects = options.followPostRedirects ?? false;
  /** Until when (epoch ms) a 429/503 asked this client to hold back. */
  let holdUntil = 0;
  const parseJson = options.parseJson ?? ((text: string): unknown => JSON.parse(text) as unknown);
  const doFetch: FetchLike | undefined = options.fetch ?? (typeof fetch === "function" ? (input, init) => fetch(input, init) : undefined);

  async function attempt<T>(request: RequestOptions<T>, method: HttpMethod, url: string, timeoutMs: number): Promise<HttpResult<T>> {
    if (!doFetch) throw new NetworkError({ method, url, details: "No fetch implementation is available; pass `fetch` in the options." });
    const headers = new Headers({ accept: "application/json, text/plain;q=0.9, */*;q=0.5" });
    if (userInfoAuth) headers.set("authorization", userInfoAuth);
    const common = typeof options.headers === "function" ? await options.headers() : options.headers;
    for (const [k, v] of Object.entries(common ?? {})) headers.set(k, v);
    let body: string | Uint8Array | undefined;
    if (request.rawBody !== undefined) body = request.rawBody;
    else if (request.body !== undefined) {
      body = JSON.stringify(request.body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
      headers.set("content-type", "application/json");
    }
    for (const [k, v] of Object.entries(request.headers ?? {})) headers.set(k, v);

    const controller = new AbortController();
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    const onCallerAbort = (): void => controller.abort();
    request.signal?.addEventListener("abort", onCallerAbort, { once: true });
    const mapAbortOrNetwork = (err: unknown): Attempt => {
      if (timedOut) return new Attempt(new HttpTimeoutError({ method, url, timeoutMs, cause: err }), true);
      if (request.signal?.aborted) return new Attempt(new RequestAbortedError({ method, url, cause: err }), false);
      return new Attempt(new NetworkError({ method, url, cause: err }), true);
    };
    try {
      let response: Response;
      let current = url;
      let currentMethod: HttpMethod = method;
      let currentBody = body;
      for (let hop = 0; ; hop++) {
        try {
          response = await doFetch(current, { method: currentMethod, headers, body: currentBody as BodyInit | undefined, signal: controller.signal, redirect: "manual" });
        } catch (err) {
          throw mapAbortOrNetwork(err);
        }
        const hidden = response.type === "opaqueredirect";
        if (!hidden && !REDIRECT_STATUSES.has(response.status)) break;
        void response.body?.cancel().catch(() => undefined);
        const location = response.headers.get("location") ?? undefined;
        const refuse = (reason: string, target?: URL): Attempt =>
          new Attempt(
            new RedirectRefusedError({ method: currentMethod, url: current, status: response.status, location: target ? `${target.origin}${target.pathname}` : undefined, reason }),
            false,
          );
        if (hidden) throw refuse("the runtime hides where it points");
        if (!location) throw refuse("it has no Location header");
        let target: URL;
        try {
          target = new URL(location, current);
        } catch {
          throw refuse("its Location is not a URL");
        }
        if (target.origin !== new URL(current).origin) throw refuse(`it points to another origin (${target.origin}); credentials and bodies go only to ${new URL(current).origin}`, target);
        if (target.username || target.password) throw refuse("its Location carries credentials", target);
        if (hop >= maxRedirects) throw refuse(`more than maxRedirects (${maxRedirects}) redirects`, target);
        const safe = currentMethod === "GET" || currentMethod === "HEAD";
        if (!safe && !followPostRedirects) throw refuse(`${currentMethod} redirects are not followed (set followPostRedirects to allow same-origin ones)`, target);
        if (!safe && response.status !== 307 && response.status !== 308) {
          currentMethod = "GET";
          currentBody = undefined;
          headers.delete("content-type");
        }
        current = target.href;
      }
      let text: string;
      try {
        if (currentMethod === "HEAD") text = "";
        else if (response.ok) {
          const declared = Number(response.headers.get("content-length") ?? NaN);
          const read = declared > maxResponseBytes && !response.headers.get("content-encoding") ? undefined : await readBounded(response, maxResponseBytes, "throw");
          if (read === undefined) {
            void response.body?.cancel().catch(() => undefined);
            throw new Attempt(new ResponseTooLargeError({ method, url, limit: maxResponseBytes }), false);
          }
          text = read;
        } else text = (await readBounded(response, Math.min(maxResponseBytes, ERROR_BODY_BYTES), "truncate")) ?? "";
      } catch (err) {
        if (err instanceof Attempt) throw err;
        throw mapAbortOrNetwork(err);
      }
      if (!response.ok) {
        const parsed = parseErrorBody(text, parseJson);
        const hint = request.errorHint?.(response.status, parsed);
        const error = httpErrorFor({
          status: response.status,
          statusText: response.statusText,
          method,
          url,
          body: parsed,
          headers: response.headers,
          ...(hint ? { hint } : {}),
        });
        throw new Attempt(error, RETRY_STATUSES.has(response.status), retryAfterMsOf(response.headers));
      }
      const contentType = response.headers.get("content-type") ?? "";
      const type = request.responseType ?? "json";
      let data: unknown;
      if (type === "none") data = undefined;
      else if (type === "text" || (type === "auto" && !/json/i.test(contentType))) data = text;
      else if (text.trim() === "") data = undefined;
      else {
        try {
          data = parseJson(text);
        } catch (err) {
          throw new Attempt(new ResponseParseError({ method, url, status: response.status, bodyText: text, contentType, cause: err }), false);
        }
      }
      if (request.shape) {
        try {
          data = request.shape.check(data, "$");
        } catch (err) {
          if (!(err instanceof ShapeMismatch)) throw err;
          throw new Attempt(new ResponseSchemaError({ method, url, path: err.path, problem: err.problem, body: data, cause: err }), false);
        }
      }
      return { status: response.status, headers: response.headers, url, data: data as T };
    } finally {
      if (timer) clearTimeout(timer);
      request.signal?.removeEventListener("abort", onCallerAbort);
    }
  }

  async function send<T>(request: RequestOptions<T>): Promise<HttpResult<T>> {
    const method = request.method ?? "GET";
    const url = buildUrl(baseUrl, request.path, request.query);
    const timeoutMs = checkTimeMs("timeoutMs", request.timeoutMs, defaultTimeout);
    const idempotent = request.idempotent ?? (method === "GET" || method === "HEAD" || method === "OPTIONS");
    const retries = idempotent ? checkCount("retries", request.retries, defaultRetries) : 0;
    for (let index = 0; ; index++) {
      if (request.signal?.aborted) throw new RequestAbortedError({ method, url, cause: request.signal.reason });
      const wait = holdUntil - Date.now();
      if (wait > 0) {
        try {
          await sleep(wait, request.signal);
        } catch (reason) {
          throw new RequestAbortedError({ method, url, cause: reason });
        }
      }
      try {
        return await attempt(request, method, url, timeoutMs);
      } catch (caught) {
        if (!(caught instanceof Attempt)) throw caught;
        const hint = caught.delayHintMs;
        const tooLong = hint !== undefined && hint > maxRetryAfterMs;
        if (!tooLong && (caught.error instanceof RateLimitError || (caught.error instanceof RetryLaterError && hint !== undefined))) {
          // Everyone using this client holds back for the window the server asked for (bounded):
          // a rate limit, or any 429/503 with Retry-After. (A 503 "no backend" without it only
          // delays the retries of its own request.)
          const window = Math.min(hint ?? backoffMs(retryDelayMs, index), maxRetryAfterMs);
          holdUntil = Math.max(holdUntil, Date.now() + window);
        }
        if (!caught.retryable || index >= retries || tooLong) throw caught.error;
        const delay = hint !== undefined ? hint : backoffMs(retryDelayMs, index);
        try {
          await sleep(delay, request.signal);
        } catch (reason) {
          throw new RequestAbortedError({ method, url, cause: reason });
        }
      }
    }
  }

  return {
    baseUrl,
    send,
    async request<T>(request: RequestOptions<T>): Promise<T> {
      return (await send(request)).data;
    },
    url: (path, query) => buildUrl(baseUrl, path, query),
  };
}
