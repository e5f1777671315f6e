/**
 * Errors of inference validation. All extend {@link GonkaError} (most through
 * {@link InvalidArgumentError}, so `err.argument` names the offending input).
 */
import { GonkaError, InvalidArgumentError, type GonkaErrorOptions } from "../../errors.js";

/**
 * A response payload or logprob array does not have the shape the network uses
 * (`choices[i].logprobs.content[j] = { token, logprob, top_logprobs: [{ token, logprob }] }`):
 * not JSON, a field of the wrong type, a `data:` line that is not JSON, ….
 * `path` says where, e.g. `"choices[0].logprobs.content[3].token"`.
 */
export class MalformedLogprobsError extends InvalidArgumentError {
  override name = "MalformedLogprobsError";
  /** Where in the payload the problem is. */
  readonly path: string;
  constructor(path: string, problem: string, options: GonkaErrorOptions = {}) {
    super("logprobs", `${path}: ${problem}`, {
      details:
        options.details ??
        "Pass the executor's stored response payload (a chat completion JSON, or the {\"events\":[…]} form of a stream) or arrays of { token, logprob, top_logprobs } positions.",
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
    });
    this.path = path;
  }
}

/** A position of a logprob array is missing (a hole, `null` or `undefined` where an entry belongs). */
export class MissingLogprobPositionError extends InvalidArgumentError {
  override name = "MissingLogprobPositionError";
  /** Which array (`"executor"`/`"validator"`, or a payload path) and which index. */
  readonly path: string;
  /** The missing index. */
  readonly index: number;
  constructor(path: string, index: number) {
    super("logprobs", `${path}[${index}] is missing`, {
      details: "Every position from 0 to length-1 must be a { token, logprob, top_logprobs } entry; do not pass sparse arrays.",
    });
    this.path = path;
    this.index = index;
  }
}

/**
 * A logprob is not a finite number (NaN, ±Infinity, a string, …). Real payloads cannot carry
 * these (JSON has no NaN), so such input is refused rather than silently scored.
 */
export class InvalidLogprobError extends InvalidArgumentError {
  override name = "InvalidLogprobError";
  /** Where the bad value is, e.g. `"validator[2].top_logprobs[0].logprob"`. */
  readonly path: string;
  constructor(path: string, what: string) {
    super("logprobs", `${path} is ${what}, expected a finite number`, {
      details: "Logprobs come from vLLM as finite float64 values; check how the arrays were built.",
    });
    this.path = path;
  }
}

/** A response payload is larger than the configured bound (`maxPayloadBytes`). */
export class OversizedPayloadError extends InvalidArgumentError {
  override name = "OversizedPayloadError";
  /** Size of the payload in bytes (UTF-8). */
  readonly size: number;
  /** The bound it exceeded. */
  readonly limit: number;
  constructor(what: string, size: number, limit: number) {
    super(what, `is ${size} bytes, more than the limit of ${limit} bytes`, {
      details: "Raise maxPayloadBytes if this payload is legitimate, or refuse it.",
    });
    this.size = size;
    this.limit = limit;
  }
}

/**
 * The validator's logprob array is shorter than the executor's where a raw distance was asked
 * for (`logprobDistance`). (`validationSimilarity` does not throw here: it reports
 * `"different_length"`, as the network does.)
 */
export class LogprobLengthMismatchError extends InvalidArgumentError {
  override name = "LogprobLengthMismatchError";
  /** Positions of the executor's (original) array. */
  readonly originalLength: number;
  /** Positions of the validator's array. */
  readonly validationLength: number;
  constructor(originalLength: number, validationLength: number) {
    super("validation", `has ${validationLength} positions but the original has ${originalLength}`, {
      details: "A distance needs at least as many validator positions as executor positions; use validationSimilarity to score unequal outputs.",
    });
    this.originalLength = originalLength;
    this.validationLength = validationLength;
  }
}

/** A request body cannot be rewritten the way transfer agents and executors do (the node answers 400). */
export class PromptRewriteError extends InvalidArgumentError {
  override name = "PromptRewriteError";
  /** The problem in the node's words (for schema failures, the text of its 400 answer). */
  readonly reason: string;
  constructor(reason: string, options: GonkaErrorOptions = {}) {
    super("body", reason, {
      details: options.details ?? "The node refuses this body with HTTP 400; fix the request body.",
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
    });
    this.reason = reason;
  }
}

/**
 * A request was signed with the raw-body scheme (`body ‖ ts ‖ TA`, v0.2.3–v0.2.5). Nodes since
 * v0.2.6 accept only `hex(sha256(body)) ‖ ts ‖ TA` and answer 401.
 */
export class LegacySignatureSchemeError extends GonkaError {
  override name = "LegacySignatureSchemeError";
  constructor(options: GonkaErrorOptions = {}) {
    super("The request is signed with the removed raw-body scheme (body ‖ timestamp ‖ transfer address)", {
      details:
        options.details ??
        "Nodes since v0.2.6 verify only hex(sha256(body)) ‖ timestamp ‖ transfer address and answer 401 otherwise. Sign with the default \"hashed-body\" scheme.",
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
    });
  }
}
