/**
 * gonka-sdk/dapi — typed client for a network node's public API (`createDapiClient`) and its types
 * generated from `openapi/dapi.yaml`. Signed chat completions live in `gonka-sdk/inference`. The
 * PoC callback receiver is in `gonka-sdk/mlnode`. See `docs/rest.md`.
 * @packageDocumentation
 */
export {
  createDapiClient,
  type DapiCallOptions,
  type DapiClient,
  type DapiClientOptions,
  type InferencePayloadsInput,
  type PayloadSigner,
  type PocProofsRequestInput,
  type PocProofsSigner,
  type StatsTimeRange,
  type UintInput,
} from "./client.js";
export * from "./types.js";
export {
  HttpError,
  HttpTimeoutError,
  NetworkError,
  RateLimitError,
  RequestAbortedError,
  ResponseParseError,
  ResponseSchemaError,
  RetryLaterError,
  ServiceUnavailableError,
} from "../http/index.js";
