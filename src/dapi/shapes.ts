/**
 * Runtime checks of public API responses, typed against the generated OpenAPI types. They check
 * what clients rely on (ids, lists, URLs, heights); the many omitempty fields pass through.
 * @module
 */
import { s, type Shape } from "../http/index.js";
import type {
  ActiveParticipantsResponse,
  BridgeBlockResponse,
  BridgeStatus,
  EpochInfo,
  FreeObject,
  Inference,
  ModelsResponse,
  ParticipantAccount,
  ParticipantsResponse,
  ParticipantSummary,
  PocBatchesResponse,
  PricingResponse,
  SigningStatusResponse,
  StatusResponse,
  TrainingTaskResponse,
  TrainingTasksResponse,
  VersionsResponse,
} from "./types.js";

const int = s.optional(s.integer());
const str = s.optional(s.string());
const free: Shape<FreeObject> = s.record(s.unknown());

/** `GET /v1/status`. */
export const statusShape: Shape<StatusResponse> = s.object<StatusResponse>({ status: s.string() });
/** `GET /v1/chat/completions/{id}`. */
export const inferenceShape: Shape<Inference> = s.object<Inference>({
  index: str,
  inference_id: str,
  status: s.optional(s.oneOf([0, 1, 2, 3, 4, 5])),
  start_block_height: int,
  requested_by: str,
  executed_by: str,
  validated_by: s.optional(s.array(s.string())),
});
/** `GET /v1/participants/{address}`. */
export const accountShape: Shape<ParticipantAccount> = s.object<ParticipantAccount>({ pubkey: str, balance: int });
/** A participant summary. */
export const participantSummaryShape: Shape<ParticipantSummary> = s.object<ParticipantSummary>({
  id: s.string(),
  url: str,
  balance: int,
  coins_owed: int,
  voting_power: int,
});
/** `GET /v1/participants`. */
export const participantsShape: Shape<ParticipantsResponse> = s.object<ParticipantsResponse>({
  participants: s.nullable(s.array(participantSummaryShape)),
  block_height: int,
});
const PHASES = ["PoCGenerate", "PoCGenerateWindDown", "PoCValidate", "PoCValidateWindDown", "Inference"] as const;
/** `GET /v1/epochs/latest`. */
export const epochInfoShape: Shape<EpochInfo> = s.object<EpochInfo>({
  block_height: s.integer(),
  latest_epoch: s.object({ index: int, poc_start_block_height: int }),
  phase: s.oneOf(PHASES),
  epoch_stages: s.optional(s.object({ poc_start: int, next_poc_start: int })),
});
/** `GET /v1/epochs/{epoch}/participants`. */
export const activeParticipantsShape: Shape<ActiveParticipantsResponse> = s.object<ActiveParticipantsResponse>({
  active_participants: s.object({
    participants: s.optional(s.array(s.object({ index: str, inference_url: str, weight: int, models: s.optional(s.array(s.string())) }))),
    epoch_id: int,
    created_at_block_height: int,
  }),
  addresses: s.optional(s.nullable(s.array(s.string()))),
  active_participants_bytes: str,
  proof_ops: s.optional(s.nullable(s.object({ ops: s.optional(s.array(s.object({ type: str, key: str, data: str }))) }))),
});
/** Model lists. */
export const modelsShape: Shape<ModelsResponse> = s.object<ModelsResponse>({
  models: s.nullable(s.array(s.object({ id: str, units_of_compute_per_token: int }))),
});
/** Pricing routes. */
export const pricingShape: Shape<PricingResponse> = s.object<PricingResponse>({
  unit_of_compute_price: int,
  models: s.nullable(s.array(s.object({ id: s.string(), price_per_token: int, units_of_compute_per_token: int, utilization: s.optional(s.number()) }))),
  dynamic_pricing_enabled: s.optional(s.boolean()),
});
/** `GET /v1/poc-batches/{height}`. */
export const pocBatchesShape: Shape<PocBatchesResponse> = s.object<PocBatchesResponse>({
  poc_batch: s.nullable(
    s.array(
      s.object({
        participant: str,
        pub_key: str,
        hex_pub_key: str,
        poc_batch: s.optional(s.array(s.object({ nonces: s.optional(s.array(s.integer())), dist: s.optional(s.array(s.number())), batch_id: str }))),
      }),
    ),
  ),
});
const appVersion = s.object({ application_name: str, version: str, commit: str });
/** `GET /v1/versions`. */
export const versionsShape: Shape<VersionsResponse> = s.object<VersionsResponse>({ timestamp: str, api_version: appVersion, node_version: appVersion });
/** `GET /v1/bls/signatures/{id}`. */
export const signingStatusShape: Shape<SigningStatusResponse> = s.object<SigningStatusResponse>({ signing_request: s.nullable(free) });
/** `{"task": …}`. */
export const trainingTaskShape: Shape<TrainingTaskResponse> = s.object<TrainingTaskResponse>({ task: s.nullable(free) });
/** `{"tasks": […]}`. */
export const trainingTasksShape: Shape<TrainingTasksResponse> = s.object<TrainingTasksResponse>({ tasks: s.nullable(s.array(free)) });
/** `POST /v1/bridge/block`. */
export const bridgeBlockShape: Shape<BridgeBlockResponse> = s.object<BridgeBlockResponse>({ status: str, queueSize: int });
/** `GET /v1/bridge/status`. */
export const bridgeStatusShape: Shape<BridgeStatus> = s.object<BridgeStatus>({ pendingBlocksCount: int, readyToProcess: s.optional(s.boolean()) });
/** Free-form chain answers. */
export const freeShape = free;
