/**
 * gonka-sdk/mlnode — typed client for an MLNode's management API (`createMlNodeClient`), the PoC
 * callback receiver (`createPocCallbackHandler`, and the Node-only `createPocCallbackServer`), and
 * the MLNode API types generated from `openapi/mlnode.yaml`. See `docs/rest.md`.
 * @packageDocumentation
 */
export { createMlNodeClient, INFERENCE_UP_TIMEOUT_MS, type CallOptions, type MlNodeClient, type MlNodeClientOptions, type MlNodePowApi, type MlNodeTrainApi } from "./client.js";
export { InferenceStartError } from "./errors.js";
export * from "./types.js";
export { POW_STATES, SERVICE_STATES } from "./shapes.js";
export {
  HttpError,
  HttpTimeoutError,
  NetworkError,
  RequestAbortedError,
  ResponseParseError,
  ResponseSchemaError,
} from "../http/index.js";
export {
  createPocCallbackHandler,
  DEFAULT_CALLBACK_PATH,
  type PocCallbackHandlerOptions,
  type PocCallbackInfo,
  type PocCallbackReceivers,
} from "./callback-handler.js";
/** Node.js only (loads `node:http` when called). */
export { createPocCallbackServer, type PocCallbackServer, type PocCallbackServerOptions } from "./callback-server.js";
