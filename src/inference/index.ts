/**
 * gonka-sdk/inference — signed, OpenAI-compatible inference requests that fail over across
 * transfer agents.
 *
 * @example
 * ```ts
 * import OpenAI from "openai";
 * import { gonkaFetch } from "gonka-sdk/inference";
 * const openai = new OpenAI({
 *   baseURL: "http://node2.gonka.ai:8000/v1",
 *   apiKey: "unused",
 *   fetch: gonkaFetch({ privateKey: process.env.GONKA_PRIVATE_KEY!, sourceUrl: "http://node2.gonka.ai:8000" }),
 * });
 * ```
 * @packageDocumentation
 */
export {
  inferenceSignaturePayload,
  signInferenceRequest,
  verifyInferenceRequest,
  formatTimestampNs,
  normalizeSignature,
  signPayloadWith,
  checkSignatureScheme,
  type InferenceSignatureScheme,
  type InferencePayloadArgs,
  type SignWithPrivateKeyArgs,
  type SignWithSignerArgs,
  type VerifyInferenceArgs,
  type TimestampNsInput,
  type BodyInput,
} from "./signature.js";
export {
  signerFromPrivateKey,
  parsePrivateKey,
  addressFromPublicKey,
  GONKA_ADDRESS_PREFIX,
  type InferenceSigner,
  type PrivateKeySigner,
  type PrivateKeyInput,
} from "./keys.js";
export {
  createTimestampClock,
  defaultTimestampClock,
  nextTimestampNs,
  wallClockNs,
  type TimestampClock,
  type TimestampClockOptions,
} from "./clock.js";
export { fetchLatestBlockTimeNs, parseRfc3339Ns } from "./block-time.js";
export {
  fetchTransferAgents,
  discoverTransferAgents,
  fetchAllowedTransferAddresses,
  fetchTransferAgentIdentity,
  parseTransferAgents,
  normalizeTransferAgentUrl,
  isTransferAgentAddress,
  INFERENCE_PARAMS_PATH,
  type TransferAgent,
  type TransferAgentInput,
  type TransferAgentDiscovery,
  type FetchTransferAgentsOptions,
} from "./discovery.js";
export {
  devshardRoute,
  devshardPrefix,
  defaultDevshardEnvelope,
  devshardRequestSigner,
  type DevshardOptions,
  type DevshardEnvelopeArgs,
  type DevshardRequestSigner,
} from "./devshard-request.js";
export {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_CANDIDATES,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_JSON_BYTES,
  DEFAULT_MAX_CLOCK_OFFSET_MS,
} from "./options.js";
export {
  gonkaFetch,
  openAiRoute,
  TIMESTAMP_REJECTED,
  type GonkaFetch,
  type GonkaFetchDevshardOptions,
  type GonkaFetchOptions,
  type GonkaFetchCommonOptions,
  type GonkaFetchSignedOptions,
  type GonkaFetchPrivateKeyOptions,
  type GonkaFetchSignerOptions,
  type GonkaFetchBearerOptions,
  type GonkaFetchAttemptInfo,
} from "./gonka-fetch.js";
export { gonkaFetchOptionsFromEnv } from "./env.js";
export { type EndpointStrategy } from "./endpoint-pool.js";
export { type FetchLike, type GetJsonOptions } from "./get-json.js";
export {
  InferenceSigningError,
  InferenceApiError,
  TransferAgentsUnavailableError,
  ResponseTooLargeError,
  ResponseStalledError,
  type TransferAgentAttempt,
} from "./errors.js";
// Inference validation, recorded hashes and the signature components of every hop.
export * from "./validation/index.js";
export {
  originalPromptHash,
  promptHash,
  promptHashes,
  storedPromptPayloadHash,
  responseHash,
  streamedResponsePayload,
  sha256Hex,
  type PromptHashes,
} from "./hashes.js";
export {
  signatureString,
  signString,
  signComponents,
  verifyComponents,
  decodeStdBase64,
  developerRequestHeaders,
  transferAgentHop,
  executorSignature,
  detectSignatureScheme,
  assertCurrentSignatureScheme,
  type SignatureType,
  type SignatureComponents,
  type SignatureCheck,
  type DeveloperRequestArgs,
  type DeveloperRequestHeaders,
  type TransferAgentHopArgs,
  type DetectedSignatureScheme,
} from "./signature-v2.js";
