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
/** Body of `GET /api/v1/state`. */
export type StateResponse = Schemas["StateResponse"];
/** `{"status":"OK"}`. */
export type StatusOk = Schemas["StatusOk"];
/** `{"status": "<text>"}` as answered by the training routes. */
export type StatusMessage = Schemas["StatusMessage"];
/** Body of `POST /api/v1/inference/up`. */
export type InferenceInitRequest = Schemas["InferenceInitRequest"];
/** Answer of `POST /api/v1/inference/up` (always HTTP 200). */
export type InferenceUpResponse = Schemas["InferenceUpResponse"];
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
/** Answer of the management `GET /health` of later MLNode releases (also sent with HTTP 503). */
export type HealthResponse = Schemas["HealthResponse"];
/** Answer of `GET /readyz` of later MLNode releases (also sent with HTTP 503). */
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
