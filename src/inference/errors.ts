/**
 * Errors of `gonka-sdk/inference`. All extend {@link GonkaError}; none ever carries key material
 * (no private key, no part of one, and no signer output other than the public `Authorization`).
 */
import { GonkaError, type GonkaErrorOptions } from "../errors.js";

/** Signing an inference request failed (bad key, signer threw, signer returned a malformed signature). */
export class InferenceSigningError extends GonkaError {
  override name = "InferenceSigningError";
}

/** One attempt of {@link gonkaFetch}: which transfer agent was tried and how it ended. */
export interface TransferAgentAttempt {
  /** Base URL of the transfer agent (no credentials, no query). */
  url: string;
  /** HTTP status when the agent answered, otherwise undefined. */
  status?: number;
  /** Short reason: the error message of a network failure, or the start of the error body. */
  reason: string;
}

/** At most this many attempts are listed in an error message (all are kept in `attempts`). */
const LISTED_ATTEMPTS = 10;

function attemptLines(attempts: readonly TransferAgentAttempt[]): string[] {
  const clip = (t: string) => (t.length > 300 ? `${t.slice(0, 300)}…` : t);
  const lines = attempts
    .slice(0, LISTED_ATTEMPTS)
    .map((a, i) => clip(`#${i + 1} ${a.url}: ${a.status !== undefined ? `HTTP ${a.status} ` : ""}${a.reason}`));
  if (attempts.length > LISTED_ATTEMPTS) lines.push(`… and ${attempts.length - LISTED_ATTEMPTS} more attempts (see err.attempts)`);
  return lines;
}

/**
 * Every transfer agent tried by {@link gonkaFetch} failed with a network error or timeout, so
 * there is no response to hand back. (When at least one agent answered, the last answer is
 * returned as a normal `Response` instead, so `openai` can raise its own typed error.)
 */
export class TransferAgentsUnavailableError extends GonkaError {
  override name = "TransferAgentsUnavailableError";
  /** Each attempt in order. */
  readonly attempts: readonly TransferAgentAttempt[];
  constructor(attempts: readonly TransferAgentAttempt[], options: GonkaErrorOptions = {}) {
    super(`No transfer agent could be reached (${attempts.length} attempt${attempts.length === 1 ? "" : "s"})`, {
      details:
        options.details ??
        "Check the endpoints, or use sourceUrl so that gonkaFetch discovers the active participants itself.",
      metaMessages: attemptLines(attempts),
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
    });
    this.attempts = attempts;
  }
}

/** A public API call made by this module (discovery, block time, chain params) failed. */
export class InferenceApiError extends GonkaError {
  override name = "InferenceApiError";
  /** The URL that was requested. */
  readonly url: string;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  constructor(url: string, problem: string, options: GonkaErrorOptions & { status?: number } = {}) {
    super(`GET ${url} failed: ${problem}`, options);
    this.url = url;
    if (options.status !== undefined) this.status = options.status;
  }
}

/**
 * A response body grew past its byte limit (counted after decompression, so a compressed "bomb"
 * stops at the limit too). Raise the limit (`maxResponseBytes`) if the body is legitimate.
 */
export class ResponseTooLargeError extends GonkaError {
  override name = "ResponseTooLargeError";
  /** The URL whose body was cut off (no credentials, no query). */
  readonly url: string;
  /** The limit in bytes. */
  readonly limit: number;
  constructor(url: string, limit: number, options: GonkaErrorOptions = {}) {
    super(`The response of ${url} is larger than ${limit} bytes`, {
      details: options.details ?? "The body was cut off at the limit. Raise maxResponseBytes if such answers are expected.",
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
    });
    this.url = url;
    this.limit = limit;
  }
}

/**
 * A response body stopped arriving: no bytes for longer than the attempt's limit
 * (`bodyIdleTimeoutMs`, default `attemptTimeoutMs`).
 */
export class ResponseStalledError extends GonkaError {
  override name = "ResponseStalledError";
  /** The URL whose body stalled (no credentials, no query). */
  readonly url: string;
  /** The idle limit in ms. */
  readonly timeoutMs: number;
  constructor(url: string, timeoutMs: number) {
    super(`The response body of ${url} stalled: no data for ${timeoutMs} ms`, {
      details: "The server sent headers, then stopped sending. Retry the request; raise bodyIdleTimeoutMs for very slow streams.",
    });
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}
