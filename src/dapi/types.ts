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
/** `{pubkey, balance}` of an account. */
export type ParticipantAccount = Schemas["ParticipantAccount"];
/** One entry of `GET /v1/participants`. */
export type ParticipantSummary = Schemas["ParticipantSummary"];
/** Answer of `GET /v1/participants`. */
export type ParticipantsResponse = Schemas["ParticipantsResponse"];
/** Body of `POST /v1/participants`. */
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
/** Chain `Model`. */
export type Model = Schemas["Model"];
/** `{"models": Model[] | null}`. */
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
/** Body of `POST /v1/training/tasks`. */
export type CreateTrainingTaskRequest = Schemas["CreateTrainingTaskRequest"];
/** `{"task": …}`. */
export type TrainingTaskResponse = Schemas["TrainingTaskResponse"];
/** `{"tasks": […]}`. */
export type TrainingTasksResponse = Schemas["TrainingTasksResponse"];
/** Body of `POST /v1/training/lock-nodes`. */
export type LockNodesRequest = Schemas["LockNodesRequest"];
/** Body of `POST /v1/verify-proof`. */
export type VerifyProofRequest = Schemas["VerifyProofRequest"];
/** Body of `POST /v1/verify-block`. */
export type VerifyBlockRequest = Schemas["VerifyBlockRequest"];
/** Body of `POST /v1/bridge/block` (camelCase). */
export type BridgeBlockRequest = Schemas["BridgeBlockRequest"];
/** Answer of `POST /v1/bridge/block`. */
export type BridgeBlockResponse = Schemas["BridgeBlockResponse"];
/** Answer of `GET /v1/bridge/status`. */
export type BridgeStatus = Schemas["BridgeStatus"];
/** A chain query answer passed through as Go JSON. */
export type FreeObject = Schemas["FreeObject"];
