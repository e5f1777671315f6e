/**
 * Inference validation (inference-flow.md §4–§9, §11): what validators sample, how they re-run
 * an inference with the executor's tokens enforced, how they score it and encode the score, the
 * chain's thresholds, reputation, SPRTs, invalidation caps and missed-validation test, and
 * devshard's sampler. Exported from `gonka-sdk/inference`.
 *
 * @packageDocumentation
 */
export { Decimal, DIVISION_PRECISION, type DecimalInput } from "./decimal.js";
export { lnDecimal } from "./decimal-ln.js";
export { decimalFromFloat, decimalFromFloatExact, type DecimalValue } from "./decimal-from-float.js";
export {
  MalformedLogprobsError,
  MissingLogprobPositionError,
  InvalidLogprobError,
  OversizedPayloadError,
  LogprobLengthMismatchError,
  PromptRewriteError,
  LegacySignatureSchemeError,
} from "./errors.js";
export { goJsonStringify, goJsonNumber, type JsonValue } from "./go-json.js";
export { messageSchemaError } from "./message-schema.js";
export {
  rewriteInferenceBody,
  canonicalPromptPayload,
  parseJsonObject,
  type RewriteInferenceBodyArgs,
  type RewrittenInferenceBody,
  type LogprobsMode,
} from "./prompt-rewrite.js";
export {
  logprobsFromResponse,
  logprobsFromChunks,
  logprobsFromPayload,
  checkLogprobPositions,
  checkPayloadSize,
  DEFAULT_MAX_PAYLOAD_BYTES,
  type LogprobPosition,
  type TopLogprob,
  type LogprobExtractionOptions,
} from "./logprobs.js";
export {
  validationSimilarity,
  logprobDistance,
  EMPTY_LOGPROBS_ERROR,
  type ValidationComparison,
  type ComparisonResult,
  type LogprobDistance,
} from "./similarity.js";
export {
  enforcedTokensFrom,
  hasEmptySentinel,
  hasNonNumericTokens,
  EMPTY_SENTINEL_TOKEN,
  NON_NUMERIC_TOKENS_REASON,
  type EnforcedToken,
  type EnforcedTokens,
} from "./enforced-tokens.js";
export {
  validatorReplayRequest,
  VALIDATION_REPLAY_PATH,
  type ValidatorReplayRequest,
  type ValidatorReplayRequestArgs,
} from "./replay-request.js";
export {
  scoreValidation,
  EXECUTOR_ERROR_SERVABLE_REASON,
  NO_LOGITS_ERROR,
  LOCAL_SUCCESS_SIMILARITY,
  type ScoreValidationArgs,
  type ValidationOutcome,
  type ValidationResultKind,
  type ValidatorReplayResponse,
} from "./score-validation.js";
export {
  MODEL_VALIDATION_THRESHOLDS,
  validationThresholdFor,
  passesValidationThreshold,
  type ModelValidationThreshold,
} from "./thresholds.js";
export {
  MAINNET_VALIDATION_PARAMS,
  CHAIN_DEFAULT_VALIDATION_PARAMS,
  MAINNET_INVALIDATION_LIMITS,
  MAINNET_CONFIRMATION_POC_ALPHA,
  type ValidationParams,
  type InvalidationLimits,
} from "./params.js";
export { validatorSeed, seedFromSignature, type ValidatorSeed, type ValidatorSeedArgs } from "./seed.js";
export { deterministicFloat, seededHash64 } from "./deterministic-float.js";
export { minValidationAverage, type MinValidationAverageParams } from "./min-validation-average.js";
export { shouldValidate, type ShouldValidateArgs, type ShouldValidateResult } from "./should-validate.js";
export { reputation, type EpochPerformance, type ReputationParams } from "./reputation.js";
export {
  sprtLogLikelihood,
  sprtPrecompute,
  sprtUpdate,
  sprtDecision,
  SPRT_LN_PRECISION,
  type SprtPrecomputed,
  type SprtDecision,
} from "./sprt.js";
export {
  computeParticipantStatus,
  type ParticipantStatus,
  type ParticipantStatusReason,
  type ParticipantEpochStats,
  type UpdatedParticipantStats,
  type ComputeParticipantStatusArgs,
  type ParticipantStatusUpdate,
} from "./participant-status.js";
export { maxActiveInvalidations, tanhApprox, type MaxActiveInvalidationsArgs } from "./max-invalidations.js";
export { missedStatTest, binomialPValue, type MissedStatTestResult, type MissedStatTestPath } from "./missed-validation.js";
export {
  checkTimestampWindow,
  SIGNATURE_TOO_OLD,
  SIGNATURE_IN_THE_FUTURE,
  type TimestampWindowArgs,
} from "./timestamp-window.js";
export {
  payloadRetrievalRequest,
  payloadResponseSignedString,
  signPayloadResponse,
  verifyPayloadResponse,
  PAYLOADS_PATH,
  type PayloadRetrievalRequest,
  type PayloadRetrievalRequestArgs,
} from "./payload-retrieval.js";
export {
  signDevshardRequest,
  recoverDevshardSender,
  devshardRequestDigest,
  devshardShouldValidate,
  type DevshardRequestArgs,
  type DevshardRequestHeaders,
  type DevshardShouldValidateArgs,
} from "./devshard.js";
export {
  validateInference,
  validateInferences,
  getInference,
  listInferences,
  chainValidationThreshold,
  networkPayloadRetryDelayMs,
  type ValidateInferenceOptions,
  type ValidateInferencesOptions,
  type InferenceValidationResult,
  type EpochValidationReport,
  type ValidationProgress,
  type ValidationSkipReason,
  type FlowResultKind,
  type SamplingInputs,
  type SamplingSource,
  type GivenPayloads,
} from "./flow.js";
export { mlNodeFromUrl, replayUrl, DEFAULT_REPLAY_TIMEOUT_MS, type ValidationMlNode, type ValidationMlNodeCallOptions, type MlNodeFromUrlOptions } from "./flow-mlnode.js";
export {
  fetchInferencePayloads,
  checkInferencePayloads,
  DEFAULT_PAYLOAD_TIMEOUT_MS,
  type InferencePayloads,
  type FetchInferencePayloadsArgs,
  type CheckInferencePayloadsArgs,
  type PayloadRequestSigner,
} from "./flow-payloads.js";
export {
  ValidationNoMlNodeError,
  ValidationAbortedError,
  InferenceNotFoundError,
  PayloadRetrievalError,
  ValidationReplayError,
  type PayloadRetrievalFailure,
  type ReplayFailure,
} from "./flow-errors.js";
