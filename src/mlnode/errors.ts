/**
 * MLNode-specific errors.
 * @module
 */
import { GonkaError } from "../errors.js";

/**
 * `POST /api/v1/inference/up` answered HTTP 200 with `{"status":"ERROR","message":…}`: vLLM did
 * not start. `serverMessage` is the MLNode's text.
 */
export class InferenceStartError extends GonkaError {
  override name = "InferenceStartError";
  /** The MLNode's `message`, if any. */
  readonly serverMessage: string | undefined;
  /** Full URL of the request. */
  readonly url: string;
  constructor(url: string, serverMessage: string | undefined) {
    super(`The MLNode could not start inference (POST ${url} answered status ERROR)`, {
      ...(serverMessage ? { metaMessages: [`Server said: ${serverMessage}`] } : {}),
      details:
        "Check the model id, the vLLM arguments (tensor/pipeline parallel sizes must fit the GPUs) and the MLNode logs.",
    });
    this.serverMessage = serverMessage;
    this.url = url;
  }
}

/** Hint for MLNode error statuses, used as `details` of the `HttpError`. */
export function mlNodeHint(status: number): string | undefined {
  if (status === 409)
    return "The MLNode runs another service (one mode at a time; even pow/status is refused). Call stop() to leave the current mode, then retry.";
  if (status === 400) return "The MLNode refused the request in its current state; the server's message says why (e.g. PoW is not running).";
  if (status === 422) return "The request body does not match the MLNode's schema; the server's message names the field.";
  return undefined;
}
