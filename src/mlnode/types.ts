/**
 * Types of the MLNode API, taken from the generated OpenAPI types (`openapi/mlnode.yaml`).
 * @module
 */
import type { components } from "../../generated/openapi/mlnode.js";
import type { components as vllmComponents } from "../../generated/openapi/vllm.js";

type Schemas = components["schemas"];
type VllmSchemas = vllmComponents["schemas"];

/** Service mode of an MLNode: `"POW" | "INFERENCE" | "TRAIN" | "STOPPED"`. */
export type ServiceState = Schemas["ServiceState"];
/** Body of `GET /api/v1/state` (`version`, and in INFERENCE `poc_status`, `inference_healthy`, `loaded_model`). */
export type StateResponse = Schemas["StateResponse"];
/** `{"status":"OK"}`. */
export type StatusOk = Schemas["StatusOk"];
/** `{"status": "<text>"}` as answered by the training routes. */
export type StatusMessage = Schemas["StatusMessage"];
/** Body of `POST /api/v1/inference/up` (and `up/async`). */
export type InferenceInitRequest = Schemas["InferenceInitRequest"];
/** Answer of `POST /api/v1/inference/up/async`: `{"status":"starting","message":…}`. */
export type InferenceUpAsyncResponse = Schemas["InferenceUpAsyncResponse"];
/** Answer of `GET /api/v1/inference/up/status`. */
export type InferenceUpStatus = Schemas["InferenceUpStatus"];
/** Aggregate PoC v2 state: `IDLE | GENERATING | VALIDATING | MIXED | NO_BACKENDS`. */
export type PocV2State = Schemas["PocV2State"];
/** `params` of the PoC v2 routes: `{model, seq_len, k_dim?}` (no other keys). */
export type PocV2Params = Schemas["PocV2Params"];
/** Body of `POST /api/v1/inference/pow/init/generate`. */
export type PocV2InitRequest = Schemas["PocV2InitRequest"];
/** Answer of `POST /api/v1/inference/pow/init/generate`. */
export type PocV2InitResponse = Schemas["PocV2InitResponse"];
/** One backend's outcome in a fan-out answer. */
export type PocV2BackendResult = Schemas["PocV2BackendResult"];
/** An artifact `{nonce, vector_b64}` (k_dim float16 values, little-endian, base64). */
export type Artifact = Schemas["Artifact"];
/** `{"dtype":"f16","k_dim":12,"endian":"le"}`. */
export type ArtifactEncoding = Schemas["ArtifactEncoding"];
/** `stat_test` of a validation request (MLNode field names: `fraud_threshold`, not `p_value_threshold`). */
export type PocV2StatTest = Schemas["PocV2StatTest"];
/** Body of `POST /api/v1/inference/pow/generate`. */
export type PocV2GenerateRequest = Schemas["PocV2GenerateRequest"];
/** Answer of `generate` and `generate/{request_id}`: queued, running, completed (artifacts or verdict) or failed. */
export type PocV2GenerateResponse = Schemas["PocV2GenerateResponse"];
/** Answer of `GET /api/v1/inference/pow/status`. */
export type PocV2Status = Schemas["PocV2Status"];
/** Answer of `POST /api/v1/inference/pow/stop`. */
export type PocV2StopResponse = Schemas["PocV2StopResponse"];
/** Body of the PoC v2 `generated` callback. */
export type GeneratedArtifactBatchV2 = Schemas["GeneratedArtifactBatchV2"];
/** Body of the PoC v2 `validated` callback. */
export type ValidatedResultV2 = Schemas["ValidatedResultV2"];
/** A model in the MLNode's Hugging Face cache: `{hf_repo, hf_commit}`. */
export type HfModel = Schemas["HfModel"];
/** `DOWNLOADED | DOWNLOADING | NOT_FOUND | PARTIAL | IGNORED`. */
export type ModelCacheStatus = Schemas["ModelCacheStatus"];
/** Answer of `POST /api/v1/models/status`. */
export type ModelStatusResponse = Schemas["ModelStatusResponse"];
/** Answer of `POST /api/v1/models/download` (HTTP 202). */
export type ModelDownloadResponse = Schemas["ModelDownloadResponse"];
/** Answer of `DELETE /api/v1/models`. */
export type ModelDeleteResponse = Schemas["ModelDeleteResponse"];
/** Answer of `GET /api/v1/models/list`. */
export type ModelListResponse = Schemas["ModelListResponse"];
/** Answer of `GET /api/v1/models/space`. */
export type ModelSpaceResponse = Schemas["ModelSpaceResponse"];
/** One GPU of `GET /api/v1/gpu/devices`. */
export type GpuDevice = Schemas["GpuDevice"];
/** Answer of `GET /api/v1/gpu/devices`. */
export type GpuDevicesResponse = Schemas["GpuDevicesResponse"];
/** Answer of `GET /api/v1/gpu/driver`. */
export type GpuDriverResponse = Schemas["GpuDriverResponse"];
/** Model hyper-parameters of the PoC network. */
export type PowParams = Schemas["PowParams"];
/** Body of `pow/init`, `pow/init/generate`, `pow/init/validate`. */
export type PowInitRequest = Schemas["PowInitRequest"];
/** PoW state: `IDLE | NOT_LOADED | LOADING | GENERATING | VALIDATING | STOPPED | MIXED`. */
export type PowState = Schemas["PowState"];
/** Body of `GET /api/v1/pow/status`. */
export type PowStatus = Schemas["PowStatus"];
/** Answer of the PoW init and phase routes. */
export type PowInitResponse = Schemas["PowInitResponse"];
/** Answer of `POST /api/v1/pow/stop`; `pow_status` is a string when PoW was not running. */
export type PowStopResponse = Schemas["PowStopResponse"];
/** Nonces and distances: body of `pow/validate` and of the `generated` callback. */
export type ProofBatch = Schemas["ProofBatch"];
/** Payload of the `validated` callback. */
export type ValidatedBatch = Schemas["ValidatedBatch"];
/** Body of `POST /api/v1/train/start`. */
export type TrainStartRequest = Schemas["TrainStartRequest"];
/** Body of `GET /api/v1/train/status`. */
export type TrainStatus = Schemas["TrainStatus"];
/** Body of vLLM `POST /tokenize` (inference port). */
export type TokenizeRequest = VllmSchemas["TokenizeRequest"];
/** Answer of vLLM `POST /tokenize` (inference port). */
export type TokenizeResponse = VllmSchemas["TokenizeResponse"];
/** Answer of the management `GET /health` (since v0.2.4; also sent with HTTP 503). */
export type HealthResponse = Schemas["HealthResponse"];
/** Answer of `GET /readyz` (since v0.2.4; also sent with HTTP 503). */
export type ReadinessResponse = Schemas["ReadinessResponse"];
/** FastAPI error body `{"detail": "<text>"}`. */
export type HttpExceptionBody = Schemas["HttpExceptionBody"];
/** FastAPI 422 body `{"detail": [{loc, msg, type}]}`. */
export type ValidationErrorBody = Schemas["ValidationErrorBody"];

/**
 * The PoC model parameters the network node sends on mainnet (`MainNetParams`).
 *
 * @example
 * ```ts
 * await mlnode.pow.initGenerate({ ...init, params: MAINNET_POW_PARAMS });
 * ```
 */
export const MAINNET_POW_PARAMS: PowParams = Object.freeze({
  dim: 1792,
  n_layers: 64,
  n_heads: 64,
  n_kv_heads: 64,
  vocab_size: 8196,
  ffn_dim_multiplier: 10.0,
  multiple_of: 8192,
  norm_eps: 1e-5,
  rope_theta: 10000,
  use_scaled_rope: false,
  seq_len: 256,
});

/** `r_target` the network node sends in `pow/init*`. */
export const DEFAULT_R_TARGET = 1.4013564660458173;
/** `fraud_threshold` the network node sends in `pow/init*`. */
export const DEFAULT_FRAUD_THRESHOLD = 1e-7;
/** `batch_size` the network node sends in `pow/init*`. */
export const DEFAULT_BATCH_SIZE = 100;

