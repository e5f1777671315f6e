/**
 * Runtime checks of MLNode responses and callback payloads (see `src/http/shape.ts`). Typed against
 * the generated OpenAPI types so that the document and the checks cannot drift silently.
 * @module
 */
import { s, type Shape } from "../http/index.js";
import type {
  Artifact,
  GeneratedArtifactBatchV2,
  GpuDevicesResponse,
  GpuDriverResponse,
  HealthResponse,
  HfModel,
  InferenceUpAsyncResponse,
  InferenceUpStatus,
  ModelDeleteResponse,
  ModelDownloadResponse,
  ModelListResponse,
  ModelSpaceResponse,
  ModelStatusResponse,
  PocV2GenerateResponse,
  PocV2InitResponse,
  PocV2Status,
  PocV2StopResponse,
  ValidatedResultV2,
  PowInitResponse,
  PowStatus,
  PowStopResponse,
  ProofBatch,
  ReadinessResponse,
  StateResponse,
  StatusMessage,
  StatusOk,
  TokenizeResponse,
  TrainStatus,
  ValidatedBatch,
} from "./types.js";

const numbers = s.array(s.number());
const integers = s.array(s.integer());

/** `ServiceState` values. */
export const SERVICE_STATES = ["POW", "INFERENCE", "TRAIN", "STOPPED"] as const;
/** `PowState` values. */
export const POW_STATES = ["IDLE", "NOT_LOADED", "LOADING", "GENERATING", "VALIDATING", "STOPPED", "MIXED"] as const;

/** PoC v2 aggregate states. */
export const POC_V2_STATES = ["IDLE", "GENERATING", "VALIDATING", "MIXED", "NO_BACKENDS"] as const;
/** Model cache statuses. */
export const MODEL_CACHE_STATUSES = ["DOWNLOADED", "DOWNLOADING", "NOT_FOUND", "PARTIAL", "IGNORED"] as const;

/** `GET /api/v1/state` (the extra fields are absent on releases before v0.2.4). */
export const stateShape: Shape<StateResponse> = s.object<StateResponse>({
  state: s.oneOf(SERVICE_STATES),
  version: s.optional(s.string()),
  poc_status: s.optional(s.nullable(s.oneOf(POC_V2_STATES))),
  inference_healthy: s.optional(s.nullable(s.boolean())),
  loaded_model: s.optional(s.nullable(s.string())),
});
/** `{"status":"OK"}`. */
export const statusOkShape: Shape<StatusOk> = s.object<StatusOk>({ status: s.oneOf(["OK"]) });
/** `{"status": "<text>"}`. */
export const statusMessageShape: Shape<StatusMessage> = s.object<StatusMessage>({ status: s.string() });
/** Answer of `POST /api/v1/inference/up` before v0.2.4: HTTP 200 with `{"status":"ERROR"}` on failure. */
export interface LegacyInferenceUpResponse {
  status: "OK" | "ERROR";
  message?: string;
}
/** `POST /api/v1/inference/up`: `{"status":"OK"}` (or an older MLNode's `{"status":"ERROR","message"}`). */
export const inferenceUpShape: Shape<LegacyInferenceUpResponse> = s.object<LegacyInferenceUpResponse>({
  status: s.oneOf(["OK", "ERROR"]),
  message: s.optional(s.string()),
});
/** `POST /api/v1/inference/up/async`. */
export const inferenceUpAsyncShape: Shape<InferenceUpAsyncResponse> = s.object<InferenceUpAsyncResponse>({ status: s.oneOf(["starting"]), message: s.optional(s.string()) });
/** `GET /api/v1/inference/up/status`. */
export const inferenceUpStatusShape: Shape<InferenceUpStatus> = s.object<InferenceUpStatus>({
  status: s.oneOf(["not_started", "in_progress", "completed", "failed", "cancelled"]),
  is_starting: s.boolean(),
  is_running: s.boolean(),
  elapsed_seconds: s.optional(s.nullable(s.number())),
  error: s.optional(s.nullable(s.string())),
});

const backendResult = s.object<PocV2InitResponse["results"][number]>({ port: s.integer(), status: s.optional(s.string()) });
const backendErrors = s.optional(s.nullable(s.array(s.object<PocV2InitResponse["results"][number]>({ port: s.integer() }))));
/** `POST /api/v1/inference/pow/init/generate`. */
export const pocV2InitShape: Shape<PocV2InitResponse> = s.object<PocV2InitResponse>({
  status: s.oneOf(["OK"]),
  backends: s.integer(),
  n_groups: s.integer(),
  results: s.array(backendResult),
  errors: backendErrors,
});
/** One artifact. */
export const artifactShape: Shape<Artifact> = s.object<Artifact>({ nonce: s.integer(), vector_b64: s.string() });
const encodingShape = s.object<NonNullable<PocV2GenerateResponse["encoding"]>>({ dtype: s.oneOf(["f16"]), k_dim: s.integer(), endian: s.oneOf(["le"]) });
/** `generate` and `generate/{request_id}` answers. */
export const pocV2GenerateShape: Shape<PocV2GenerateResponse> = s.object<PocV2GenerateResponse>({
  status: s.oneOf(["queued", "running", "completed", "failed"]),
  request_id: s.optional(s.string()),
  queued_count: s.optional(s.integer()),
  artifacts: s.optional(s.array(artifactShape)),
  encoding: s.optional(encodingShape),
  n_total: s.optional(s.integer()),
  n_mismatch: s.optional(s.integer()),
  mismatch_nonces: s.optional(integers),
  p_value: s.optional(s.number()),
  fraud_detected: s.optional(s.boolean()),
});
/** `GET /api/v1/inference/pow/status`. */
export const pocV2StatusShape: Shape<PocV2Status> = s.object<PocV2Status>({
  status: s.oneOf(POC_V2_STATES),
  backends: s.optional(s.array(s.object<NonNullable<PocV2Status["backends"]>[number]>({ port: s.integer(), status: s.optional(s.string()) }))),
});
/** `POST /api/v1/inference/pow/stop`. */
export const pocV2StopShape: Shape<PocV2StopResponse> = s.object<PocV2StopResponse>({
  status: s.oneOf(["OK"]),
  results: s.optional(s.array(backendResult)),
  errors: backendErrors,
  message: s.optional(s.string()),
});
/** The PoC v2 `generated` callback body. */
export const generatedArtifactBatchShape: Shape<GeneratedArtifactBatchV2> = s.object<GeneratedArtifactBatchV2>({
  block_hash: s.string(),
  block_height: s.integer(),
  public_key: s.string(),
  node_id: s.integer(),
  artifacts: s.array(artifactShape),
  encoding: s.optional(encodingShape),
  request_id: s.optional(s.string()),
});
/** The PoC v2 `validated` callback body. */
export const validatedResultV2Shape: Shape<ValidatedResultV2> = s.object<ValidatedResultV2>({
  request_id: s.optional(s.string()),
  block_hash: s.optional(s.string()),
  block_height: s.optional(s.integer()),
  public_key: s.optional(s.string()),
  node_id: s.optional(s.integer()),
  n_total: s.integer(),
  n_mismatch: s.integer(),
  mismatch_nonces: integers,
  p_value: s.number(),
  fraud_detected: s.boolean(),
});
const cacheStatus = s.oneOf(MODEL_CACHE_STATUSES);
/** `POST /api/v1/models/status`. (`model` is echoed; its exact form is not checked.) */
export const modelStatusShape: Shape<ModelStatusResponse> = s.object<ModelStatusResponse>({ model: s.unknown<HfModel>(), status: cacheStatus, error_message: s.optional(s.nullable(s.string())) });
/** `POST /api/v1/models/download` (202). */
export const modelDownloadShape: Shape<ModelDownloadResponse> = s.object<ModelDownloadResponse>({ task_id: s.string(), status: cacheStatus, model: s.unknown<HfModel>() });
/** `DELETE /api/v1/models`. */
export const modelDeleteShape: Shape<ModelDeleteResponse> = s.object<ModelDeleteResponse>({ status: s.oneOf(["deleted", "cancelled"]), model: s.unknown<HfModel>() });
/** `GET /api/v1/models/list`. */
export const modelListShape: Shape<ModelListResponse> = s.object<ModelListResponse>({
  models: s.array(s.object<ModelListResponse["models"][number]>({ model: s.unknown<HfModel>(), status: cacheStatus })),
});
/** `GET /api/v1/models/space`. */
export const modelSpaceShape: Shape<ModelSpaceResponse> = s.object<ModelSpaceResponse>({ cache_size_gb: s.number(), available_gb: s.number(), cache_path: s.string() });
/** `GET /api/v1/gpu/devices`. */
export const gpuDevicesShape: Shape<GpuDevicesResponse> = s.object<GpuDevicesResponse>({
  devices: s.array(s.object<GpuDevicesResponse["devices"][number]>({ index: s.integer(), name: s.string(), is_available: s.boolean() })),
  count: s.integer(),
});
/** `GET /api/v1/gpu/driver`. */
export const gpuDriverShape: Shape<GpuDriverResponse> = s.object<GpuDriverResponse>({ driver_version: s.string(), nvml_version: s.string() });
/** PoW status object. */
export const powStatusShape: Shape<PowStatus> = s.object<PowStatus>({
  status: s.oneOf(POW_STATES),
  is_model_initialized: s.optional(s.boolean()),
});
/** PoW init/phase answers. */
export const powInitShape: Shape<PowInitResponse> = s.object<PowInitResponse>({ status: s.oneOf(["OK"]), pow_status: powStatusShape });
/** `POST /api/v1/pow/stop` (object or string `pow_status`). */
export const powStopShape: Shape<PowStopResponse> = s.object<PowStopResponse>({
  status: s.oneOf(["OK"]),
  pow_status: s.union<PowStopResponse["pow_status"]>([powStatusShape, s.string()]),
});
/** `GET /api/v1/train/status`. */
export const trainStatusShape: Shape<TrainStatus> = s.object<TrainStatus>({ status: s.boolean() });
/** vLLM `POST /tokenize`. */
export const tokenizeShape: Shape<TokenizeResponse> = s.object<TokenizeResponse>({ count: s.integer() });
/** A `ProofBatch` (callback payload). */
export const proofBatchShape: Shape<ProofBatch> = s.object<ProofBatch>({
  public_key: s.string(),
  block_hash: s.string(),
  block_height: s.integer(),
  nonces: integers,
  dist: numbers,
  node_id: s.integer(),
});
/** A `ValidatedBatch` (callback payload). */
export const validatedBatchShape: Shape<ValidatedBatch> = s.object<ValidatedBatch>({
  public_key: s.string(),
  block_hash: s.string(),
  block_height: s.integer(),
  nonces: integers,
  dist: numbers,
  node_id: s.integer(),
  received_dist: numbers,
  r_target: s.number(),
  fraud_threshold: s.number(),
  n_invalid: s.integer(),
  probability_honest: s.number(),
  fraud_detected: s.boolean(),
});

const managerShape = s.object<NonNullable<HealthResponse["managers"]["inference"]>>({ running: s.boolean(), healthy: s.boolean() });
/** Management `GET /health` (since v0.2.4). */
export const serviceHealthShape: Shape<HealthResponse> = s.object<HealthResponse>({
  status: s.oneOf(["healthy", "unhealthy"]),
  service_state: s.oneOf(SERVICE_STATES),
  gpu: s.object<HealthResponse["gpu"]>({ available: s.boolean(), count: s.integer(), devices: s.array(s.record(s.unknown())) }),
  managers: s.object<HealthResponse["managers"]>({ pow: s.optional(managerShape), inference: s.optional(managerShape), train: s.optional(managerShape) }),
});
/** `GET /readyz` (since v0.2.4). */
export const readinessShape: Shape<ReadinessResponse> = s.object<ReadinessResponse>({ ready: s.boolean() });
