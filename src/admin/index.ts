/**
 * gonka-sdk/admin — typed client for the network node's admin API (`createAdminClient`, port 9200,
 * `/admin/v1`) and its types generated from `openapi/admin.yaml`. See `docs/rest.md`.
 * @packageDocumentation
 */
export {
  createAdminClient,
  type AdminCallOptions,
  type AdminClient,
  type AdminClientOptions,
  type AdminNodesApi,
  type BlsRequestInput,
  type BytesInput,
  type NodeBatchResult,
} from "./client.js";
export { NodeBatchRejectedError } from "./errors.js";
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
