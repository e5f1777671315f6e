/**
 * Errors of the shared HTTP core. Every one extends a class of the SDK's error tree
 * (`src/errors.ts`), carries the method and URL of the request, and says in `details` what a
 * person can do about it.
 * @module
 */
import { GonkaError, TimeoutError, type GonkaErrorOptions } from "../errors.js";

/** How many characters of a response body an error message quotes at most. */
const SNIPPET_CHARS = 200;

/** How many characters of a server's own error text an error message quotes at most. */
export const SERVER_MESSAGE_CHARS = 512;

/** Shortens a body to one line for an error message. */
export function bodySnippet(text: string, max = SNIPPET_CHARS): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

/** Cuts a text to `max` characters (with an ellipsis), keeping it otherwise as it was. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** True when a text body looks like an HTML page (an nginx error page, a dashboard, …). */
export function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body|<center|<h1)/i.test(text);
}

/** The `<title>` of an HTML page, or its text without tags. */
function htmlSummary(text: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
  if (title?.trim()) return title.trim();
  return bodySnippet(text.replace(/<[^>]+>/g, " "));
}

/**
 * Extracts the server's own error message from a parsed error body, whatever dialect it uses:
 * decentralized-api `{"error": string | object}`, FastAPI `{"detail": string | [{loc, msg}]}`,
 * a bare JSON string, plain text or an HTML page. Returns `undefined` when there is none.
 *
 * @example
 * ```ts
 * serverMessageOf({ detail: [{ loc: ["body", "model"], msg: "Field required" }] });
 * // "body.model: Field required"
 * ```
 */
export function serverMessageOf(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") {
    if (body.trim() === "") return undefined;
    return looksLikeHtml(body) ? `HTML page: ${htmlSummary(body)}` : bodySnippet(body);
  }
  if (typeof body !== "object" || Array.isArray(body)) return bodySnippet(JSON.stringify(body));
  const record = body as Record<string, unknown>;
  if ("error" in record) {
    const error = record.error;
    if (typeof error === "string") return error;
    if (error && typeof error === "object") {
      const message = (error as Record<string, unknown>).message;
      if (typeof message === "string") return message;
      const json = JSON.stringify(error);
      return json === "{}" ? "(the server sent an empty error object)" : bodySnippet(json);
    }
  }
  if ("detail" in record) {
    const detail = record.detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) {
      return detail
        .map((item) => {
          if (!item || typeof item !== "object") return String(item);
          const { loc, msg } = item as { loc?: unknown; msg?: unknown };
          const where = Array.isArray(loc) ? loc.join(".") : "";
          return where ? `${where}: ${String(msg)}` : String(msg);
        })
        .join("; ");
    }
  }
  if (typeof record.message === "string") return record.message;
  return bodySnippet(JSON.stringify(body));
}

/** What to do about an HTTP status, in general terms; modules may pass a sharper hint. */
export function hintForStatus(status: number): string | undefined {
  if (status === 400) return "The server rejected the request; check the arguments against the server's message.";
  if (status === 401 || status === 403) return "The server refused the credentials; check the signature, address and timestamp.";
  if (status === 402) return "The account's spendable balance does not cover the escrow for this request.";
  if (status === 404) return "Nothing at this route or id; check baseUrl (host, port, path prefix) and the id.";
  if (status === 405) return "This route does not accept this method; check baseUrl and the server version.";
  if (status === 409) return "The server is in a state that conflicts with this request.";
  if (status === 415) return "The server wants a different Content-Type.";
  if (status === 422) return "The request body does not match the server's schema; the server's message names the field.";
  if (status === 429) return "The server is rate-limiting; wait and retry, or use another node.";
  if (status === 502 || status === 503 || status === 504)
    return "A proxy or gateway could not reach the service behind it; the node may be down, restarting or overloaded. Retry later.";
  if (status >= 500) return "The server failed while handling the request; its message may say why.";
  return undefined;
}

/** Options shared by the request-scoped errors below. */
export interface RequestErrorOptions extends GonkaErrorOptions {
  /** HTTP method of the request. */
  method: string;
  /** Full URL of the request. */
  url: string;
}

/**
 * The server answered with a status outside 200–299. `body` is the parsed JSON body when it
 * parsed, otherwise the text; `serverMessage` is the server's own error text when one was found.
 *
 * @example
 * ```ts
 * try { await mlnode.pow.status(); }
 * catch (e) { if (e instanceof HttpError && e.status === 409) await mlnode.stop(); }
 * ```
 */
export class HttpError extends GonkaError {
  override name = "HttpError";
  /** HTTP status code. */
  readonly status: number;
  /** HTTP status text, when the server sent one. */
  readonly statusText: string;
  /** HTTP method of the request. */
  readonly method: string;
  /** Full URL of the request. */
  readonly url: string;
  /** Parsed JSON body, or the raw text when it was not JSON, or `undefined` when empty. */
  readonly body: unknown;
  /** The server's own error message, extracted from `{error}`, `{detail}` or text (at most 512 characters). */
  readonly serverMessage: string | undefined;
  /** Response headers. */
  readonly headers: Headers;

  constructor(args: {
    status: number;
    statusText?: string;
    method: string;
    url: string;
    body: unknown;
    headers?: Headers;
    hint?: string;
  }) {
    const fullMessage = serverMessageOf(args.body);
    const serverMessage = fullMessage === undefined ? undefined : clip(fullMessage, SERVER_MESSAGE_CHARS);
    const statusText = clip(args.statusText ?? "", 100);
    const head = `HTTP ${args.status}${statusText ? ` ${statusText}` : ""} from ${args.method} ${args.url}`;
    const meta = serverMessage ? [`Server said: ${serverMessage}`] : [];
    const details = args.hint ?? hintForStatus(args.status);
    super(head, { metaMessages: meta, ...(details ? { details } : {}) });
    this.status = args.status;
    this.statusText = statusText;
    this.method = args.method;
    this.url = args.url;
    this.body = args.body;
    this.serverMessage = serverMessage;
    this.headers = args.headers ?? new Headers();
  }
}

/**
 * Parses a `Retry-After` header (delta seconds or an HTTP date) into milliseconds from `now`;
 * `undefined` when absent or unreadable, never negative.
 *
 * @example
 * ```ts
 * retryAfterMsOf(new Headers({ "retry-after": "7" })); // 7000
 * ```
 */
export function retryAfterMsOf(headers: Headers, now: number = Date.now()): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** True when a body is the HTML error page nginx writes itself (its `limit_req` answers with one). */
function isNginxPage(body: unknown): boolean {
  return typeof body === "string" && looksLikeHtml(body) && /nginx/i.test(body);
}

/** Arguments of the {@link RetryLaterError} family (those of {@link HttpError}). */
export type HttpErrorArgs = ConstructorParameters<typeof HttpError>[0];

/**
 * The server asked us to come back later: HTTP **429** or **503**, with or without `Retry-After`.
 * `retryAfterMs` is the server's wish when it sent one. The HTTP core retries such answers only
 * for idempotent requests, a few times, with backoff, waiting at most `maxRetryAfterMs`; every
 * request of the same client then waits out the window too, so a rate limit never turns into a
 * storm. Subclasses say which of the two it was.
 */
export class RetryLaterError extends HttpError {
  override name = "RetryLaterError";
  /** `Retry-After` in ms, when the server sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(args: HttpErrorArgs, details: string) {
    super({ ...args, hint: args.hint ?? details });
    this.retryAfterMs = args.headers ? retryAfterMsOf(args.headers) : undefined;
  }
}

/**
 * The request was rate-limited: HTTP **429**, or a **503** written by nginx itself (the network
 * node's public proxy answers `limit_req` rejections with nginx's 503 page, no `Retry-After`).
 * A stock node allows 10 requests/minute per IP on non-inference `/v1` routes and 20/minute on
 * `/chain-api`, `/chain-rpc`, `/chain-grpc`; the transfer agent answers its own 429
 * ("Transfer Agent capacity reached …").
 */
export class RateLimitError extends RetryLaterError {
  override name = "RateLimitError";
  constructor(args: HttpErrorArgs) {
    super(
      args,
      "The server is rate-limiting this client. Slow down (a stock node allows 10 requests/minute per IP on its /v1 API and 20/minute on /chain-*), wait for Retry-After, cache answers, or use another node.",
    );
  }
}

/**
 * HTTP **503** from the service itself (not a rate limit): e.g. "no inference nodes available",
 * "stats storage is not configured", an MLNode without vLLM backends, a node restarting.
 */
export class ServiceUnavailableError extends RetryLaterError {
  override name = "ServiceUnavailableError";
  constructor(args: HttpErrorArgs) {
    super(args, "The service is up but cannot serve this now (no backend, feature disabled, restarting); its message says which. Retry later or use another node.");
  }
}

/**
 * The typed error for a non-2xx answer: {@link RateLimitError} for 429 and nginx's own 503 page,
 * {@link ServiceUnavailableError} for other 503s, {@link HttpError} otherwise.
 */
export function httpErrorFor(args: HttpErrorArgs): HttpError {
  if (args.status === 429 || (args.status === 503 && isNginxPage(args.body))) return new RateLimitError(args);
  if (args.status === 503) return new ServiceUnavailableError(args);
  return new HttpError(args);
}

/** Finds a Node/undici system error code (`ECONNREFUSED`, `ENOTFOUND`, …) in a cause chain. */
export function networkCodeOf(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The message of the deepest error in a cause chain ("bad port" under undici's "fetch failed"). */
function innermostMessage(err: unknown): string | undefined {
  let message: string | undefined;
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    if (current.message) message = current.message;
    current = current.cause;
  }
  return message;
}

function networkHint(code: string | undefined, url: string): string {
  let where = url;
  try {
    where = new URL(url).host;
  } catch {
    /* keep the URL */
  }
  if (code === "ECONNREFUSED") return `Nothing is listening at ${where}. Check the host and port, and that the service is running.`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `The host name in ${where} does not resolve. Check the spelling or DNS.`;
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE")
    return `The connection to ${where} was closed mid-request; the service may have restarted. Retry.`;
  if (code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT") return `Connecting to ${where} timed out; check firewalls and the address.`;
  return `The request to ${where} failed before any response arrived. Check the URL, the network and that the service is running.`;
}

/**
 * The request never got an HTTP response: connection refused, DNS failure, reset, TLS error.
 * `code` is the system error code when one was found (`ECONNREFUSED`, …).
 */
export class NetworkError extends GonkaError {
  override name = "NetworkError";
  /** HTTP method of the request. */
  readonly method: string;
  /** Full URL of the request. */
  readonly url: string;
  /** System error code, e.g. `ECONNREFUSED`, when known. */
  readonly code: string | undefined;
  constructor(options: RequestErrorOptions) {
    const code = networkCodeOf(options.cause);
    super(`${options.method} ${options.url} failed: ${code ?? innermostMessage(options.cause) ?? "network error"}`, {
      ...options,
      details: options.details ?? networkHint(code, options.url),
    });
    this.method = options.method;
    this.url = options.url;
    this.code = code;
  }
}

/** The request (connection, headers and body) did not finish within `timeoutMs`. */
export class HttpTimeoutError extends TimeoutError {
  override name = "HttpTimeoutError";
  /** HTTP method of the request. */
  readonly method: string;
  /** Full URL of the request. */
  readonly url: string;
  constructor(options: RequestErrorOptions & { timeoutMs: number }) {
    super(`${options.method} ${options.url}`, options.timeoutMs, {
      ...options,
      details:
        options.details ??
        "The server did not answer in time. Raise timeoutMs (long calls such as inference/up can take minutes) or check the server's load.",
    });
    this.method = options.method;
    this.url = options.url;
  }
}

/**
 * A 2xx response whose body could not be read as the expected format (e.g. invalid JSON, or an
 * HTML page where JSON was expected — typically a proxy or a wrong baseUrl).
 */
export class ResponseParseError extends GonkaError {
  override name = "ResponseParseError";
  /** HTTP status of the response. */
  readonly status: number;
  /** HTTP method of the request. */
  readonly method: string;
  /** Full URL of the request. */
  readonly url: string;
  /** The raw body text. */
  readonly bodyText: string;
  /** The response's Content-Type header, or `""`. */
  readonly contentType: string;
  constructor(options: RequestErrorOptions & { status: number; bodyText: string; contentType: string }) {
    const html = looksLikeHtml(options.bodyText);
    const what = html ? "an HTML page" : "not valid JSON";
    super(`Response from ${options.method} ${options.url} is ${what} (HTTP ${options.status}, content-type ${options.contentType || "none"})`, {
      ...options,
      metaMessages: [`Body starts with: ${bodySnippet(options.bodyText, 120)}`],
      details:
        options.details ??
        (html
          ? "baseUrl probably points at a web page or a proxy, not at the API. Check the host, port and path prefix."
          : "The server sent a body this SDK cannot parse; check that baseUrl points at the right service and version."),
    });
    this.status = options.status;
    this.method = options.method;
    this.url = options.url;
    this.bodyText = options.bodyText;
    this.contentType = options.contentType;
  }
}

/**
 * A 2xx JSON response that does not have the shape the OpenAPI document promises.
 * `path` locates the first mismatch (`$.pow_status.status`).
 */
export class ResponseSchemaError extends GonkaError {
  override name = "ResponseSchemaError";
  /** HTTP method of the request. */
  readonly method: string;
  /** Full URL of the request. */
  readonly url: string;
  /** JSON path of the first mismatch, e.g. `$.participants[0].id`. */
  readonly path: string;
  /** The parsed body. */
  readonly body: unknown;
  constructor(options: RequestErrorOptions & { path: string; problem: string; body: unknown }) {
    super(`Unexpected response from ${options.method} ${options.url}: at ${options.path}: ${options.problem}`, {
      ...options,
      details:
        options.details ??
        "The server's answer does not match the API this SDK was written for: check that baseUrl points at the right service, and compare server and SDK versions.",
    });
    this.method = options.method;
    this.url = options.url;
    this.path = options.path;
    this.body = options.body;
  }
}

/** The request was cancelled by the caller's `AbortSignal`. */
export class RequestAbortedError extends GonkaError {
  override name = "RequestAbortedError";
  /** HTTP method of the request. */
  readonly method: string;
  /** Full URL of the request. */
  readonly url: string;
  constructor(options: RequestErrorOptions) {
    super(`${options.method} ${options.url} was aborted by the caller`, options);
    this.method = options.method;
    this.url = options.url;
  }
}

/**
 * A response body was larger than the client's `maxResponseBytes` (counted after decompression,
 * so a gzip bomb stops at the limit). The rest of the body was not read.
 */
export class ResponseTooLargeError extends GonkaError {
  override name = "ResponseTooLargeError";
  /** HTTP method of the request. */
  readonly method: string;
  /** Full URL of the request. */
  readonly url: string;
  /** The limit in bytes. */
  readonly limit: number;
  constructor(options: RequestErrorOptions & { limit: number }) {
    super(`The response of ${options.method} ${options.url} is larger than ${options.limit} bytes`, {
      ...options,
      details: options.details ?? "Reading stopped at the limit. Raise maxResponseBytes if such answers are expected from this server.",
    });
    this.method = options.method;
    this.url = options.url;
    this.limit = options.limit;
  }
}

/**
 * The server answered with a redirect the client does not follow: to another origin (scheme, host
 * or port), for a non-GET request (unless `followPostRedirects`), or past `maxRedirects`.
 * Credentials and bodies are never sent to the new location.
 */
export class RedirectRefusedError extends GonkaError {
  override name = "RedirectRefusedError";
  /** HTTP method of the request. */
  readonly method: string;
  /** Full URL of the request. */
  readonly url: string;
  /** HTTP status of the redirect (0 when the runtime hides it). */
  readonly status: number;
  /** Where the server pointed (`Location`), when known. */
  readonly location: string | undefined;
  constructor(options: RequestErrorOptions & { status: number; location: string | undefined; reason: string }) {
    super(`${options.method} ${options.url} answered a redirect (HTTP ${options.status}) that was not followed: ${options.reason}`, {
      ...options,
      details:
        options.details ??
        "Point baseUrl at the final address yourself. Cross-origin redirects are never followed (credentials and bodies would go to another server); same-origin GET redirects are, up to maxRedirects.",
    });
    this.method = options.method;
    this.url = options.url;
    this.status = options.status;
    this.location = options.location;
  }
}
