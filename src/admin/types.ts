/**
 * Types of the network node admin API, taken from the generated OpenAPI types (`openapi/admin.yaml`).
 * @module
 */
import type { components } from "../../generated/openapi/admin.js";

type Schemas = components["schemas"];

/** Config of one MLNode as registered with the network node. */
export type InferenceNodeConfig = Schemas["InferenceNodeConfig"];
/** An MLNode as listed by `GET /admin/v1/nodes` (`node_num` included). */
export type Node = Schemas["Node"];
/** Runtime state of an MLNode as seen by the network node (`ml_node_version`, `preserved_models` since v0.2.4/v0.2.12). */
export type NodeState = Schemas["NodeState"];
/** One entry of `GET /admin/v1/nodes`. */
export type NodeResponse = Schemas["NodeResponse"];
/** `UNKNOWN | INFERENCE | POC | TRAINING | STOPPED | FAILED`. */
export type HardwareNodeStatus = Schemas["HardwareNodeStatus"];
/** Hardware entry `{type, count}`. */
export type Hardware = Schemas["Hardware"];
/** Chain `Model` as Go JSON (zero fields omitted). */
export type Model = Schemas["Model"];
/** Answer of enable/disable. */
export type NodeAdminStateResponse = Schemas["NodeAdminStateResponse"];
/** Per-node answer of the version checks. */
export type VersionHealthReport = Schemas["VersionHealthReport"];
/** Node id → {@link VersionHealthReport}. */
export type VersionHealthReports = Schemas["VersionHealthReports"];
/** `{"message": …}`. */
export type MessageResponse = Schemas["MessageResponse"];
/** `ngonka | ugonka | mgonka | gonka`. */
export type Denom = Schemas["Denom"];
/** Body of `POST /admin/v1/unit-of-compute-price-proposal`. */
export type UnitOfComputePriceProposalRequest = Schemas["UnitOfComputePriceProposalRequest"];
/** Answer of `GET /admin/v1/unit-of-compute-price-proposal`. */
export type UnitOfComputePriceProposalResponse = Schemas["UnitOfComputePriceProposalResponse"];
/** Body of `POST /admin/v1/models`. */
export type RegisterModelRequest = Schemas["RegisterModelRequest"];
/** A Cosmos `Tx` in protobuf JSON (body of `tx/send`). */
export type TxJson = Schemas["TxJson"];
/** Cosmos `TxResponse` as Go JSON. */
export type TxResponse = Schemas["TxResponse"];
/** Body of `POST /admin/v1/bls/request` as sent on the wire (bytes as base64). */
export type BlsSignatureRequest = Schemas["BlsSignatureRequest"];
/** HTTP 206 answer of `POST /admin/v1/nodes/batch`: the accepted configs and one line per refused one. */
export type NodeBatchPartial = Schemas["NodeBatchPartial"];
/** HTTP 400 answer of `POST /admin/v1/nodes/batch`. */
export type NodeBatchFailure = Schemas["NodeBatchFailure"];
/** Body of `POST /admin/v1/bridge/block` (camelCase; moved from the public API in v0.2.5). */
export type BridgeBlockRequest = Schemas["BridgeBlockRequest"];
/** Answer of `POST /admin/v1/bridge/block`. */
export type BridgeBlockResponse = Schemas["BridgeBlockResponse"];
/** Body of `POST /admin/v1/payloads?inference_id=` (test helper). */
export type StorePayloadsRequest = Schemas["StorePayloadsRequest"];
/** Answer of `POST /admin/v1/payloads`. */
export type StorePayloadsResponse = Schemas["StorePayloadsResponse"];
/** Body of `POST /admin/v1/claim-reward/recover`. */
export type ClaimRecoverRequest = Schemas["ClaimRecoverRequest"];
/** Answer of `POST /admin/v1/claim-reward/recover`. */
export type ClaimRecoverResponse = Schemas["ClaimRecoverResponse"];
/** Answer of `GET /admin/v1/setup/report`. */
export type SetupReport = Schemas["SetupReport"];
