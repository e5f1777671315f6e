/**
 * Errors of the PoC v2 flows (host, validator, proof route). All extend the SDK's one error tree
 * (`GonkaError`). Messages name addresses, models, heights and URLs, never key material.
 * @module
 */
import { GonkaError, TimeoutError, type GonkaErrorOptions } from "../../errors.js";

/** A flow was stopped through its `AbortSignal`. */
export class PocV2AbortedError extends GonkaError {
  override name = "PocV2AbortedError";
  constructor(what: string, options: GonkaErrorOptions = {}) {
    super(`${what} was aborted`, options);
  }
}

/**
 * No MLNode was configured for a step that needs one. Recomputing (validating) artifacts and
 * generating them are forward passes of the served model: they need an MLNode serving that exact
 * model on a GPU. Everything else in this module runs without one.
 */
export class PocV2NoMlNodeError extends GonkaError {
  override name = "PocV2NoMlNodeError";
  /** The model that needed an MLNode. */
  readonly modelId: string;
  constructor(modelId: string) {
    super(`No MLNode is configured to recompute artifacts of ${modelId}`, {
      details:
        "Validation recomputes the sampled nonces with the served model: that needs an MLNode serving this exact model on a GPU " +
        "(pass mlNode, e.g. pocV2MlNodeFromClient(createMlNodeClient({ baseUrl: 'http://gpu-host:8080' })), or --mlnode-url on the CLI). " +
        "Proof fetching and checking need no GPU: use dryRun / `gonka poc v2 proofs fetch` for those alone.",
    });
    this.modelId = modelId;
  }
}

/** Why fetching proofs from a participant failed. */
export type ProofFetchFailure =
  /** The connection failed (refused, reset, DNS). Transient. */
  | "unreachable"
  /** No complete answer before the deadline. Transient. */
  | "timeout"
  /** The server answered 408, 429 or 5xx. Transient. */
  | "http-transient"
  /** The server refused the request with another 4xx (e.g. "root mismatch"): it cannot prove its commit. Permanent. */
  | "http-refused"
  /** The answer exceeded the byte limit. Permanent. */
  | "too-large"
  /** The answer is not the proof response JSON. Permanent. */
  | "malformed";

/** Fetching a participant's proofs (`POST {inference_url}/v1/poc/proofs`) failed. */
export class ProofFetchError extends GonkaError {
  override name = "ProofFetchError";
  readonly participantAddress: string;
  readonly modelId: string;
  readonly failure: ProofFetchFailure;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** Whether a retry may succeed (`unreachable`, `timeout`, `http-transient`). */
  readonly transient: boolean;
  constructor(participantAddress: string, modelId: string, failure: ProofFetchFailure, problem: string, options: GonkaErrorOptions & { status?: number } = {}) {
    super(`Proofs of ${participantAddress} for ${modelId}: ${problem}`, {
      details:
        failure === "too-large" || failure === "malformed" || failure === "http-refused"
          ? "The participant's proof server does not give a valid answer for its on-chain commit; a validator rejects it (validated_weight -1)."
          : "The participant's proof server did not answer in time; the validator retries, and after its last attempt casts no vote.",
      ...options,
    });
    this.participantAddress = participantAddress;
    this.modelId = modelId;
    this.failure = failure;
    if (options.status !== undefined) this.status = options.status;
    this.transient = failure === "unreachable" || failure === "timeout" || failure === "http-transient";
  }
}

/** The MLNode did not produce a verdict for a recomputation request. */
export class MlNodeValidationError extends GonkaError {
  override name = "MlNodeValidationError";
  readonly modelId: string;
  constructor(modelId: string, problem: string, options: GonkaErrorOptions = {}) {
    super(`MLNode recomputation for ${modelId} failed: ${problem}`, {
      details: "Check that the MLNode is up (GET /api/v1/inference/pow/status), serves this model, and has no generation running.",
      ...options,
    });
    this.modelId = modelId;
  }
}

/** The chain passed the end of a window the flow still had work for (e.g. the exchange window closed before any commit). */
export class PocV2WindowClosedError extends GonkaError {
  override name = "PocV2WindowClosedError";
  readonly window: "exchange" | "validation";
  readonly height: bigint;
  readonly end: bigint;
  constructor(window: "exchange" | "validation", height: bigint, end: bigint, what: string) {
    super(`The ${window} window ended at height ${end} (chain at ${height}): ${what}`, {
      details: window === "exchange" ? "Commits are accepted in [S+1, S+stage+exchange]; start the host before the stage begins." : "Votes are accepted until S+stage+delay+validation.",
    });
    this.window = window;
    this.height = height;
    this.end = end;
  }
}

/** Waiting for the chain to reach a height took longer than allowed. */
export class PocV2HeightTimeoutError extends TimeoutError {
  override name = "PocV2HeightTimeoutError";
  readonly height: bigint;
  constructor(height: bigint, timeoutMs: number) {
    super(`Waiting for block height ${height}`, timeoutMs, { details: "Is the chain producing blocks? Check the node URL." });
    this.height = height;
  }
}

/**
 * A proof request was refused by the proof route (`POST /v1/poc/proofs`), with the HTTP status the
 * handler answers: 400 bad request or root mismatch, 401 bad signature, 403 signer not authorised,
 * 404 no such store.
 */
export class ProofRequestRefusedError extends GonkaError {
  override name = "ProofRequestRefusedError";
  readonly status: 400 | 401 | 403 | 404;
  constructor(status: 400 | 401 | 403 | 404, problem: string) {
    super(problem);
    this.status = status;
  }
}
