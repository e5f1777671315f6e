/**
 * MLNode-specific errors.
 * @module
 */
import { GonkaError } from "../errors.js";
import type { HttpError } from "../http/index.js";

/** Why {@link InferenceStartConflictError} was raised. */
export type InferenceConflictReason = "running" | "starting" | "other";

/**
 * `POST /api/v1/inference/up` (or `up/async`) answered **409**: vLLM is already running, its
 * start-up is already in progress, or the start-up arguments were refused (a `ValueError`) —
 * `reason` says which, `detail` is the MLNode's text. Since v0.2.4 the MLNode no longer stops a
 * running vLLM for you. (A 409 "Cannot run INFERENCE because MLNode is currently in POW mode" is
 * a mode conflict and stays a plain `HttpError`.)
 */
export class InferenceStartConflictError extends GonkaError {
  override name = "InferenceStartConflictError";
  /** The MLNode's `detail`. */
  readonly detail: string | undefined;
  /** `"running"`, `"starting"` or `"other"` (a refused start-up argument). */
  readonly reason: InferenceConflictReason;
  /** Full URL of the request. */
  readonly url: string;
  /** HTTP status (409). */
  readonly status: number;
  constructor(cause: HttpError) {
    const detail = cause.serverMessage;
    const reason: InferenceConflictReason = /already running/i.test(detail ?? "") ? "running" : /already in progress/i.test(detail ?? "") ? "starting" : "other";
    super(`The MLNode refused to start inference (HTTP 409 from ${cause.method} ${cause.url})`, {
      cause,
      ...(detail ? { metaMessages: [`Server said: ${detail}`] } : {}),
      details:
        reason === "running"
          ? "vLLM is already running: call inferenceDown() first if you want to restart it with other arguments."
          : reason === "starting"
            ? "A start-up is already in progress: poll inferenceUpStatus() until it completes or fails."
            : "The MLNode refused the start-up arguments; the server's message says which.",
    });
    this.detail = detail;
    this.reason = reason;
    this.url = cause.url;
    this.status = cause.status;
  }
}

/**
 * vLLM did not start: `POST /api/v1/inference/up` answered **500** `{"detail": …}` (MLNodes since
 * v0.2.4), or — on older MLNodes — HTTP 200 with `{"status":"ERROR","message":…}`. `detail` is the
 * MLNode's text.
 */
export class InferenceStartError extends GonkaError {
  override name = "InferenceStartError";
  /** The MLNode's `detail` (or the old `message`), if any. */
  readonly detail: string | undefined;
  /** Alias of {@link detail}, kept for older callers. */
  readonly serverMessage: string | undefined;
  /** Full URL of the request. */
  readonly url: string;
  /** HTTP status: 500, or 200 for an older MLNode's `{"status":"ERROR"}`. */
  readonly status: number;
  constructor(url: string, detail: string | undefined, status: number, cause?: unknown) {
    super(`The MLNode could not start inference (POST ${url} answered ${status === 200 ? "status ERROR" : `HTTP ${status}`})`, {
      ...(cause !== undefined ? { cause } : {}),
      ...(detail ? { metaMessages: [`Server said: ${detail}`] } : {}),
      details: "Check the model id, the vLLM arguments (tensor/pipeline parallel sizes must fit the GPUs) and the MLNode logs.",
    });
    this.detail = detail;
    this.serverMessage = detail;
    this.url = url;
    this.status = status;
  }
}

/** Hint for MLNode error statuses, used as `details` of the `HttpError`. */
export function mlNodeHint(status: number, body?: unknown): string | undefined {
  const detail = body && typeof body === "object" ? (body as { detail?: unknown }).detail : undefined;
  if (status === 503 && typeof detail === "string" && /No vLLM backends/i.test(detail))
    return "PoC v2 runs on the MLNode's vLLM backends: start inference (inferenceUp) with the served model first.";
  if (status === 409)
    return "The MLNode runs another service (one mode at a time; even pow/status is refused). Call stop() to leave the current mode, then retry.";
  if (status === 400) return "The MLNode refused the request in its current state; the server's message says why (e.g. PoW is not running).";
  if (status === 422) return "The request body does not match the MLNode's schema; the server's message names the field.";
  return undefined;
}
