/**
 * Defaults and argument checks for the numeric options of this module (attempts, candidates,
 * time limits, byte limits). Every bound has a default, and NaN, ±Infinity, fractions, negative
 * values and timer overflows are refused with {@link InvalidArgumentError} instead of silently
 * meaning "zero attempts" or "time out at once".
 */
import { InvalidArgumentError } from "../errors.js";

/** Transfer agents tried per request unless `maxAttempts` says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Candidates kept from a discovered participant list unless `maxCandidates` says otherwise. */
export const DEFAULT_MAX_CANDIDATES = 16;
/** Time limit of one attempt (response headers, and any error body `gonkaFetch` reads itself). */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 300_000;
/** Largest response body handed to the caller, counted after decompression. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Largest error body `gonkaFetch` reads to decide about a retry (the rest is cut off). */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Largest JSON document read by discovery, block-time and params calls. */
export const DEFAULT_MAX_JSON_BYTES = 16 * 1024 * 1024;
/** Largest correction a node can make to a client's clock (the chain's windows are 60 s / 30 s). */
export const DEFAULT_MAX_CLOCK_OFFSET_MS = 600_000;
/** Characters of a server's text quoted in an error message. */
export const EXCERPT_CHARS = 200;
/** The largest delay `setTimeout` honours in Node and browsers (2^31 − 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Checks an optional count: a positive safe integer (at least `min`). Returns `fallback` when
 * `value` is undefined.
 *
 * @example
 * ```ts
 * positiveInteger("maxAttempts", undefined, 5); // 5
 * positiveInteger("maxAttempts", NaN, 5);       // throws InvalidArgumentError
 * ```
 */
export function positiveInteger(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidArgumentError(name, `expected an integer ≥ ${min}, got ${describeNumber(value)}`);
  }
  return value;
}

/**
 * Checks an optional time limit in milliseconds: an integer from `min` to {@link MAX_TIMER_MS}
 * (larger values overflow the platform's timers and fire at once).
 */
export function timeoutMs(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > MAX_TIMER_MS) {
    throw new InvalidArgumentError(name, `expected whole milliseconds from ${min} to ${MAX_TIMER_MS}, got ${describeNumber(value)}`, {
      details: "Larger delays overflow setTimeout in Node and browsers and would fire immediately.",
    });
  }
  return value;
}

/** A short, value-free description of what was given (numbers are not secrets; strings may be). */
function describeNumber(value: unknown): string {
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "string") return `a string of ${value.length} characters`;
  return typeof value;
}

/**
 * At most `max` characters of a server's text for an error message, with the size of what was
 * left out. Control characters are shown as spaces so a body cannot forge log lines.
 *
 * @example
 * ```ts
 * excerpt("x".repeat(1000), 10); // "xxxxxxxxxx… (990 more characters)"
 * ```
 */
export function excerpt(text: string, max: number = EXCERPT_CHARS): string {
  // eslint-disable-next-line no-control-regex
  const clean = (text.length > max ? text.slice(0, max) : text).replace(/[\u0000-\u001f\u007f]/g, " ");
  return text.length > max ? `${clean}… (${text.length - max} more characters)` : clean;
}
