/**
 * Runtime checks of public API responses, typed against the generated OpenAPI types. They check
 * what clients rely on (ids, lists, URLs, heights); the many omitempty fields pass through.
 * @module
 */
import { s, type Shape } from "../http/index.js";
import type {
  ActiveParticipantsResponse,
  BridgeAddresses,
  BridgeStatus,
  EpochInfo,
  FreeObject,
  IdentityResponse,
  Inference,
  InferencePayloads,
  ModelList,
  ModelsLegacyResponse,
  ModelsResponse,
  ParticipantAccount,
  ParticipantRecordResponse,
  ParticipantsResponse,
  ParticipantSummary,
  PocArtifactsState,
  PocBatchesResponse,
  PocProofsResponse,
  PricingResponse,
  SigningStatusResponse,
  StatsDeveloperInferencesResponse,
  StatsModelsResponse,
  StatsSummary,
  StatusResponse,
  VersionsResponse,
} from "./types.js";

const int = s.optional(s.integer());
const str = s.optional(s.string());
const free: Shape<FreeObject> = s.record(s.unknown());

/** `GET /v1/status`. */
export const statusShape: Shape<StatusResponse> = s.object<StatusResponse>({ status: s.string() });
/** `GET /v1/chat/completions?id=`. */
export const inferenceShape: Shape<Inference> = s.object<Inference>({
  index: str,
  inference_id: str,
  status: s.optional(s.oneOf([0, 1, 2, 3, 4, 5])),
  start_block_height: int,
  requested_by: str,
  executed_by: str,
  validated_by: s.optional(s.array(s.string())),
  original_prompt_hash: str,
});
/** `GET /v1/participants/{address}` and `/v2/accounts/{address}` (v0.2.12+: `balance` and `denom` always present). */
export const accountShape: Shape<ParticipantAccount> = s.object<ParticipantAccount>({ pubkey: s.string(), balance: s.integer(), denom: s.oneOf(["ngonka"]) });
/** `GET /v2/participants/{address}`. */
export const participantRecordShape: Shape<ParticipantRecordResponse> = s.object<ParticipantRecordResponse>({
  participant: s.object({ index: str, address: str, inference_url: str, weight: int, status: int }),
});
/** `GET /v1/identity`. */
export const identityShape: Shape<IdentityResponse> = s.object<IdentityResponse>({
  data: s.object({ address: s.string(), block: s.integer(), timestamp: s.string() }),
  signature: s.string(),
});
/** `GET /v1/inference/payloads`. */
export const payloadsShape: Shape<InferencePayloads> = s.object<InferencePayloads>({
  inference_id: s.string(),
  prompt_payload: s.string(),
  response_payload: s.string(),
  executor_signature: s.string(),
});
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
  is_confirmation_poc_active: s.optional(s.boolean()),
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
  excluded_participants: s.optional(s.nullable(s.array(s.object({ address: str, reason: str, exclusion_block_height: int })))),
});
const governanceModel = s.object({ id: str, units_of_compute_per_token: int });
/** `GET /v1/governance/models`. */
export const modelsShape: Shape<ModelsResponse> = s.object<ModelsResponse>({ models: s.nullable(s.array(governanceModel)) });
/** `GET /v1/governance/models-legacy`. */
export const modelsLegacyShape: Shape<ModelsLegacyResponse> = s.object<ModelsLegacyResponse>({ model: s.nullable(s.array(governanceModel)) });
/** `GET /v1/models` (OpenAI list since v0.2.11). */
export const modelListShape: Shape<ModelList> = s.object<ModelList>({
  object: s.oneOf(["list"]),
  data: s.array(
    s.object<ModelList["data"][number]>({
      object: s.oneOf(["model"]),
      id: s.string(),
      hugging_face_id: str,
      context_length: int,
      max_output_length: int,
      created: int,
    }),
  ),
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
/** `GET /v1/bridge/addresses`. */
export const bridgeAddressesShape: Shape<BridgeAddresses> = s.object<BridgeAddresses>({ chain_name: str, chain_id: str, addresses: s.optional(s.array(s.string())) });
/** `GET /v1/stats/models`. */
export const statsModelsShape: Shape<StatsModelsResponse> = s.object<StatsModelsResponse>({
  stats_models: s.optional(s.nullable(s.array(s.object({ model: str, ai_tokens: int, inferences: int })))) as Shape<StatsModelsResponse["stats_models"]>,
});
/** `GET /v1/stats/developers/{developer}/inferences`. */
export const statsInferencesShape: Shape<StatsDeveloperInferencesResponse> = s.object<StatsDeveloperInferencesResponse>({
  stats: s.optional(s.nullable(s.array(s.object({ epoch_id: int, timestamp: int })))) as Shape<StatsDeveloperInferencesResponse["stats"]>,
});
/** Stats summaries. */
export const statsSummaryShape: Shape<StatsSummary> = s.object<StatsSummary>({ ai_tokens: int, inferences: int, actual_inferences_cost: int });
const uintText = s.union<string | number>([s.string(), s.integer()]);
/** `POST /v1/poc/proofs`. */
export const pocProofsShape: Shape<PocProofsResponse> = s.object<PocProofsResponse>({
  proofs: s.array(
    s.object<PocProofsResponse["proofs"][number]>({
      leaf_index: uintText,
      nonce_value: uintText,
      vector_bytes: s.string(),
      proof: s.array(s.string()),
    }),
  ),
  signer_address: str,
  signature: str,
});
/** `GET /v1/poc/artifacts/state`. */
export const pocArtifactsStateShape: Shape<PocArtifactsState> = s.object<PocArtifactsState>({
  poc_stage_start_block_height: uintText,
  model_id: s.string(),
  count: uintText,
  root_hash: s.string(),
});
/** `GET /v1/bridge/status`. */
export const bridgeStatusShape: Shape<BridgeStatus> = s.object<BridgeStatus>({ pendingBlocksCount: int, readyToProcess: s.optional(s.boolean()) });
/** Free-form chain answers. */
export const freeShape = free;
