/**
 * Errors of the validator flow (`validateInference`). All extend the SDK's one error tree
 * (`GonkaError`). Messages name inference ids, addresses, models and URLs, never key material.
 * @module
 */
import { GonkaError, type GonkaErrorOptions } from "../../errors.js";

/**
 * No MLNode / vLLM endpoint is configured for the re-run. Re-running an inference with the
 * executor's tokens enforced is a forward pass of the **served model**: it needs an MLNode (or a
 * vLLM with the network's `enforced_tokens` support) serving that exact model on a GPU.
 */
export class ValidationNoMlNodeError extends GonkaError {
  override name = "ValidationNoMlNodeError";
  /** The model the re-run needs. */
  readonly model: string;
  constructor(model: string) {
    super(`No MLNode is configured to re-run inferences of ${model || "this model"} with enforced tokens`, {
      details:
        "Validation re-runs the prompt with the executor's tokens forced and compares top-k logprobs: that needs the served model on a GPU. " +
        "Pass mlNode: \"http://gpu-host:5000\" (an OpenAI-compatible base URL of your MLNode's vLLM) or mlNode: { complete(request) { … } }. " +
        "Sampling (shouldValidate), payload retrieval and scoring need no GPU and are exported on their own.",
    });
    this.model = model;
  }
}

/** The flow was stopped through its `AbortSignal`. */
export class ValidationAbortedError extends GonkaError {
  override name = "ValidationAbortedError";
  constructor(what: string, options: GonkaErrorOptions = {}) {
    super(`${what} was aborted`, options);
  }
}

/** The chain has no inference with this id. */
export class InferenceNotFoundError extends GonkaError {
  override name = "InferenceNotFoundError";
  readonly inferenceId: string;
  constructor(inferenceId: string, options: GonkaErrorOptions = {}) {
    super(`The chain has no inference ${inferenceId}`, {
      details: "Check the id (the developer's signature string, base64) and that the node you query is synced; pruned inferences are gone.",
      ...options,
    });
    this.inferenceId = inferenceId;
  }
}

/** Why getting an inference's payloads from its executor failed. */
export type PayloadRetrievalFailure =
  /** Connection refused, reset, DNS. Transient. */
  | "unreachable"
  /** No complete answer before the deadline. Transient. */
  | "timeout"
  /** 408, 429 or 5xx. Transient. */
  | "http-transient"
  /** 404: the executor pruned the payloads (the network skips the inference silently). */
  | "not-found"
  /** Another 4xx (bad signature, not a participant, …). */
  | "http-refused"
  /** The answer exceeded the byte limit. */
  | "too-large"
  /** The answer is not `{inference_id, prompt_payload, response_payload, executor_signature}` with base64 payloads. */
  | "malformed"
  /** The executor's signature over the payloads does not verify against its keys. */
  | "bad-signature"
  /** A payload's hash differs from the one the chain recorded. */
  | "hash-mismatch";

/** Getting or checking the executor's payloads (`GET {executor}/v1/inference/payloads`) failed. */
export class PayloadRetrievalError extends GonkaError {
  override name = "PayloadRetrievalError";
  readonly inferenceId: string;
  readonly failure: PayloadRetrievalFailure;
  /** HTTP status, when the executor answered. */
  readonly status?: number;
  /** Whether a retry may succeed (`unreachable`, `timeout`, `http-transient`, `http-refused`, `malformed`, `too-large`). */
  readonly transient: boolean;
  constructor(inferenceId: string, failure: PayloadRetrievalFailure, problem: string, options: GonkaErrorOptions & { status?: number } = {}) {
    super(`Payloads of inference ${inferenceId}: ${problem}`, {
      details:
        failure === "hash-mismatch" || failure === "bad-signature"
          ? "The executor serves payloads that do not match its on-chain record: the network sends an invalidation (value 0) at once."
          : failure === "not-found"
            ? "The executor no longer has the payloads (pruned): the network skips this inference."
            : "The network retries (10 attempts, minutes apart) and sends an invalidation (value 0) when the payloads stay unavailable.",
      ...options,
    });
    this.inferenceId = inferenceId;
    this.failure = failure;
    if (options.status !== undefined) this.status = options.status;
    this.transient = !(failure === "not-found" || failure === "bad-signature" || failure === "hash-mismatch");
  }
}

/** Why the validator's own MLNode did not give an answer to score. */
export type ReplayFailure = "unreachable" | "timeout" | "too-large" | "malformed";

/** The re-run on the validator's own MLNode failed before it answered (the network sends no message then). */
export class ValidationReplayError extends GonkaError {
  override name = "ValidationReplayError";
  readonly inferenceId: string;
  readonly failure: ReplayFailure;
  constructor(inferenceId: string, failure: ReplayFailure, problem: string, options: GonkaErrorOptions = {}) {
    super(`Re-running inference ${inferenceId} on the validator's MLNode failed: ${problem}`, {
      details: "Check that your MLNode is up and serves the model (POST {base}/v1/chat/completions); the network retries later and sends nothing meanwhile.",
      ...options,
    });
    this.inferenceId = inferenceId;
    this.failure = failure;
  }
}
