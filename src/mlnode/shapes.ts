/**
 * Runtime checks of MLNode responses and callback payloads (see `src/http/shape.ts`). Typed against
 * the generated OpenAPI types so that the document and the checks cannot drift silently.
 * @module
 */
import { s, type Shape } from "../http/index.js";
import type {
  HealthResponse,
  InferenceUpResponse,
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

/** `GET /api/v1/state`. */
export const stateShape: Shape<StateResponse> = s.object<StateResponse>({ state: s.oneOf(SERVICE_STATES) });
/** `{"status":"OK"}`. */
export const statusOkShape: Shape<StatusOk> = s.object<StatusOk>({ status: s.oneOf(["OK"]) });
/** `{"status": "<text>"}`. */
export const statusMessageShape: Shape<StatusMessage> = s.object<StatusMessage>({ status: s.string() });
/** `POST /api/v1/inference/up`. */
export const inferenceUpShape: Shape<InferenceUpResponse> = s.object<InferenceUpResponse>({
  status: s.oneOf(["OK", "ERROR"]),
  message: s.optional(s.string()),
});
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

const managerShape = s.object<HealthResponse["managers"]["inference"]>({ running: s.boolean(), healthy: s.boolean() });
/** Management `GET /health` (later releases). */
export const serviceHealthShape: Shape<HealthResponse> = s.object<HealthResponse>({
  status: s.oneOf(["healthy", "unhealthy"]),
  service_state: s.oneOf(SERVICE_STATES),
  gpu: s.object<HealthResponse["gpu"]>({ available: s.boolean(), count: s.integer(), devices: s.array(s.record(s.unknown())) }),
  managers: s.object<HealthResponse["managers"]>({ inference: managerShape, train: managerShape }),
});
/** `GET /readyz` (later releases). */
export const readinessShape: Shape<ReadinessResponse> = s.object<ReadinessResponse>({ ready: s.boolean() });
