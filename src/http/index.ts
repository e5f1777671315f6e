/**
 * The shared HTTP core of gonka-sdk (internal to the SDK's modules; the REST clients re-export
 * its error classes). See `docs/rest.md`.
 * @module
 */
export {
  createHttpCore,
  DEFAULT_MAX_RESPONSE_BYTES,
  MAX_TIMEOUT_MS,
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
  ResponseTooLargeError,
  RedirectRefusedError,
  SERVER_MESSAGE_CHARS,
  serverMessageOf,
  hintForStatus,
  type HttpErrorArgs,
  type RequestErrorOptions,
} from "./errors.js";
export { buildUrl, normaliseBaseUrl, pathSegment, redactUrl, splitUserInfo, type QueryValue } from "./url.js";
export * as s from "./shape.js";
export { ShapeMismatch, type Shape, type OptionalShape, type FieldShapes } from "./shape.js";
