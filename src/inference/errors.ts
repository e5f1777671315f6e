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
      metaMessages: attempts.map((a, i) => `#${i + 1} ${a.url}: ${a.status !== undefined ? `HTTP ${a.status} ` : ""}${a.reason}`),
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
