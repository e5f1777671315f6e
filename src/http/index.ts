/**
 * The shared HTTP core of gonka-sdk (internal to the SDK's modules; the REST clients re-export
 * its error classes). See `docs/rest.md`.
 * @module
 */
export {
  createHttpCore,
  type FetchLike,
  type HeadersSource,
  type HttpCore,
  type HttpCoreOptions,
  type HttpMethod,
  type HttpResult,
  type RequestOptions,
  type ResponseType,
} from "./core.js";
export {
  HttpError,
  httpErrorFor,
  HttpTimeoutError,
  NetworkError,
  RateLimitError,
  retryAfterMsOf,
  RetryLaterError,
  ServiceUnavailableError,
  RequestAbortedError,
  ResponseParseError,
  ResponseSchemaError,
  serverMessageOf,
  hintForStatus,
  type HttpErrorArgs,
  type RequestErrorOptions,
} from "./errors.js";
export { buildUrl, normaliseBaseUrl, pathSegment, type QueryValue } from "./url.js";
export * as s from "./shape.js";
export { ShapeMismatch, type Shape, type OptionalShape, type FieldShapes } from "./shape.js";
