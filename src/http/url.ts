/**
 * URL building for the HTTP core: joins a base URL (which may carry a path prefix such as
 * `http://node:8000/api` or an MLNode segment `/v3.0.8`) with a route and query parameters.
 * @module
 */
import { InvalidArgumentError } from "../errors.js";

/** A query parameter value; arrays repeat the key, `undefined` drops it. */
export type QueryValue = string | number | bigint | boolean | undefined | null | readonly (string | number | bigint | boolean)[];

/** Checks and normalises a base URL: must be absolute http(s); trailing slashes are removed. */
export function normaliseBaseUrl(baseUrl: string, argument = "baseUrl"): string {
  if (typeof baseUrl !== "string" || baseUrl.trim() === "") {
    throw new InvalidArgumentError(argument, "it is empty", { details: 'Pass the service address, e.g. "http://127.0.0.1:8080".' });
  }
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    // The value is not quoted: a secret pasted into the wrong place must not end up in a log.
    throw new InvalidArgumentError(argument, `the value given (${baseUrl.length} characters) is not an absolute URL`, {
      details: 'Include the scheme and host, e.g. "http://127.0.0.1:9200".',
    });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new InvalidArgumentError(argument, `scheme ${parsed.protocol} is not http: or https:`);
  }
  if (parsed.search || parsed.hash) {
    throw new InvalidArgumentError(argument, "it must not contain a query string or fragment");
  }
  return parsed.toString().replace(/\/+$/, "");
}

/**
 * Percent-encodes one path segment (ids may contain `/`, `+`, `=`), e.g. an inference id.
 *
 * @example
 * ```ts
 * `/v1/chat/completions/${pathSegment("ab+/c=")}`; // "/v1/chat/completions/ab%2B%2Fc%3D"
 * ```
 */
export function pathSegment(value: string | number | bigint): string {
  return encodeURIComponent(String(value));
}

/**
 * Splits the `user:password@` part off a URL: returns the URL without it (safe to print) and the
 * `Authorization: Basic …` value it stood for (`undefined` when there was none).
 *
 * @example
 * ```ts
 * splitUserInfo("http://u:p@node:8000/chain-api"); // { url: "http://node:8000/chain-api", authorization: "Basic dTpw" }
 * ```
 */
export function splitUserInfo(url: string): { url: string; authorization: string | undefined } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { url, authorization: undefined };
  const user = safeDecode(parsed.username);
  const pass = safeDecode(parsed.password);
  parsed.username = "";
  parsed.password = "";
  const bytes = new TextEncoder().encode(`${user}:${pass}`);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return { url: parsed.toString().replace(/\/+$/, ""), authorization: `Basic ${btoa(binary)}` };
}

/** A URL for messages: any `user:password@` replaced by `***@`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = "***";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@\s]*@/g, "//***@");
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Joins `baseUrl` (already normalised) with `path` and `query`. */
export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const route = path.startsWith("/") ? path : `/${path}`;
  let url = `${baseUrl}${route}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      const values = Array.isArray(value) ? value : [value];
      for (const v of values as (string | number | bigint | boolean)[]) params.append(key, String(v));
    }
    const search = params.toString();
    if (search) url += `${url.includes("?") ? "&" : "?"}${search}`;
  }
  return url;
}
