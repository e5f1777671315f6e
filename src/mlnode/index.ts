/**
 * gonka-sdk/mlnode — typed client for an MLNode's management API (`createMlNodeClient`: PoC v2,
 * model cache, GPU, health, inference start-up, PoW v1), the PoC callback receiver
 * (`createPocCallbackHandler`, `pocV2CallbackUrl`; the Node-only `createPocCallbackServer` lives in
 * `gonka-sdk/mlnode/node`), and the MLNode API types generated from `openapi/mlnode.yaml`.
 * See `docs/rest.md`.
 * @packageDocumentation
 */
export {
  createMlNodeClient,
  INFERENCE_UP_TIMEOUT_MS,
  type CallOptions,
  type MlNodeClient,
  type MlNodeClientOptions,
  type MlNodeGpuApi,
  type MlNodeModelsApi,
  type MlNodePocV2Api,
  type MlNodePowApi,
  type MlNodeTrainApi,
} from "./client.js";
export { InferenceStartConflictError, InferenceStartError, type InferenceConflictReason } from "./errors.js";
export * from "./types.js";
export { MODEL_CACHE_STATUSES, POC_V2_STATES, POW_STATES, SERVICE_STATES } from "./shapes.js";
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
export {
  createPocCallbackHandler,
  DEFAULT_CALLBACK_PATH,
  PocCallbackRefused,
  type PocCallbackHandlerOptions,
  type PocCallbackInfo,
  type PocCallbackReceivers,
  type PocV2CallbackInfo,
  type PocV2CallbackReceivers,
} from "./callback-handler.js";
export { goPathEscape, goPathUnescape, parsePocV2CallbackPath, POC_V2_CALLBACK_PREFIX, pocV2CallbackUrl, type PocV2CallbackRoute } from "./callback-path.js";
