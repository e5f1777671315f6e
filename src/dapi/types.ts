/**
 * Types of the network node public API, taken from the generated OpenAPI types (`openapi/dapi.yaml`).
 * Fields of chain structs are optional because the server omits zero values.
 * @module
 */
import type { components } from "../../generated/openapi/dapi.js";

type Schemas = components["schemas"];

/** `{"status":"ok"}`. */
export type StatusResponse = Schemas["StatusResponse"];
/** Body of `POST /v1/chat/completions` (signed; use `gonka-sdk/inference`). */
export type ChatCompletionRequest = Schemas["ChatCompletionRequest"];
/** Non-streaming answer of `POST /v1/chat/completions`. */
export type ChatCompletionResponse = Schemas["ChatCompletionResponse"];
/** Chain inference status number: 0 STARTED (omitted), 1 FINISHED, 2 VALIDATED, 3 INVALIDATED, 4 VOTING, 5 EXPIRED. */
export type InferenceStatus = Schemas["InferenceStatus"];
/** Chain `Inference` record. */
export type Inference = Schemas["Inference"];
/** `{pubkey, balance, denom}` of an account (`balance` always present since v0.2.12). */
export type ParticipantAccount = Schemas["ParticipantAccount"];
/** One entry of `GET /v1/participants`. */
export type ParticipantSummary = Schemas["ParticipantSummary"];
/** Answer of `GET /v1/participants`. */
export type ParticipantsResponse = Schemas["ParticipantsResponse"];
/** Body of `POST /v1/participants`: `{address, pub_key}` (both required since v0.2.12). */
export type RegisterParticipantRequest = Schemas["RegisterParticipantRequest"];
/** `PoCGenerate | PoCGenerateWindDown | PoCValidate | PoCValidateWindDown | Inference`. */
export type EpochPhase = Schemas["EpochPhase"];
/** Block heights of the stages of one epoch. */
export type EpochStages = Schemas["EpochStages"];
/** Chain epoch params. */
export type EpochParams = Schemas["EpochParams"];
/** Answer of `GET /v1/epochs/latest`. */
export type EpochInfo = Schemas["EpochInfo"];
/** One active participant of an epoch. */
export type ActiveParticipant = Schemas["ActiveParticipant"];
/** Answer of `GET /v1/epochs/{epoch}/participants`, with the proof fields. */
export type ActiveParticipantsResponse = Schemas["ActiveParticipantsResponse"];
/** A Merkle proof op `{type, key, data}` (base64). */
export type ProofOp = Schemas["ProofOp"];
/** Chain `Model` (governance routes). */
export type Model = Schemas["Model"];
/** `{"models": Model[] | null}` (`GET /v1/governance/models`). */
export type ModelsResponse = Schemas["ModelsResponse"];
/** One model price. */
export type ModelPrice = Schemas["ModelPrice"];
/** Answer of the pricing routes. */
export type PricingResponse = Schemas["PricingResponse"];
/** One stored PoC batch. */
export type PocBatch = Schemas["PocBatch"];
/** Batches of one participant. */
export type ParticipantPocBatches = Schemas["ParticipantPocBatches"];
/** Answer of `GET /v1/poc-batches/{height}`. */
export type PocBatchesResponse = Schemas["PocBatchesResponse"];
/** Answer of `GET /v1/versions`. */
export type VersionsResponse = Schemas["VersionsResponse"];
/** Answer of `GET /v1/bls/signatures/{id}`. */
export type SigningStatusResponse = Schemas["SigningStatusResponse"];
/** Body of `POST /v1/verify-proof`. */
export type VerifyProofRequest = Schemas["VerifyProofRequest"];
/** Body of `POST /v1/verify-block`. */
export type VerifyBlockRequest = Schemas["VerifyBlockRequest"];
/** Answer of `GET /v1/bridge/status`. */
export type BridgeStatus = Schemas["BridgeStatus"];
/** A chain query answer passed through as Go JSON. */
export type FreeObject = Schemas["FreeObject"];
/** `GET /v1/identity`: the node's signed identity. */
export type IdentityResponse = Schemas["IdentityResponse"];
/** The signed part of {@link IdentityResponse}. */
export type IdentityData = Schemas["IdentityData"];
/** Body of `POST /v1/completions`. */
export type CompletionRequest = Schemas["CompletionRequest"];
/** Answer of `GET /v1/inference/payloads`. */
export type InferencePayloads = Schemas["InferencePayloads"];
/** `GET /v2/participants/{address}`: the chain's `Participant` record. */
export type ParticipantRecordResponse = Schemas["ParticipantRecordResponse"];
/** The chain's `Participant` (Go JSON). */
export type ParticipantRecord = Schemas["ParticipantRecord"];
/** One model of `GET /v1/models` (OpenAI list entry). */
export type ModelListEntry = Schemas["ModelListEntry"];
/** `GET /v1/models`: `{"object":"list","data":[…]}`. */
export type ModelList = Schemas["ModelList"];
/** `GET /v1/governance/models-legacy`: `{"model": Model[]}`. */
export type ModelsLegacyResponse = Schemas["ModelsLegacyResponse"];
/** A participant excluded from an epoch, with the reason. */
export type ExcludedParticipant = Schemas["ExcludedParticipant"];
/** `GET /v1/bridge/addresses`. */
export type BridgeAddresses = Schemas["BridgeAddresses"];
/** `GET /v1/stats/models`. */
export type StatsModelsResponse = Schemas["StatsModelsResponse"];
/** `GET /v1/stats/developers/{developer}/inferences`. */
export type StatsDeveloperInferencesResponse = Schemas["StatsDeveloperInferencesResponse"];
/** The stats summary routes: `{ai_tokens, inferences, actual_inferences_cost}`. */
export type StatsSummary = Schemas["StatsSummary"];
/** Body of `POST /v1/poc/proofs` as sent on the wire (integers as decimal strings). */
export type PocProofsRequest = Schemas["PocProofsRequest"];
/** One proof of {@link PocProofsResponse}. */
export type PocProof = Schemas["PocProof"];
/** Answer of `POST /v1/poc/proofs`. */
export type PocProofsResponse = Schemas["PocProofsResponse"];
/** Answer of `GET /v1/poc/artifacts/state`. */
export type PocArtifactsState = Schemas["PocArtifactsState"];
/** The stock proxy's 403 for blocked routes: `{"error":"Access Denied","message":…}`. */
export type BlockedRouteBody = Schemas["BlockedRouteBody"];
