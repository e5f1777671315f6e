/**
 * Runtime checks of admin API responses, typed against the generated OpenAPI types.
 * @module
 */
import { s, type Shape } from "../http/index.js";
import type {
  BridgeBlockResponse,
  ClaimRecoverResponse,
  InferenceNodeConfig,
  NodeBatchPartial,
  SetupReport,
  StorePayloadsResponse,
  MessageResponse,
  NodeAdminStateResponse,
  NodeResponse,
  TxResponse,
  UnitOfComputePriceProposalResponse,
  VersionHealthReport,
  VersionHealthReports,
} from "./types.js";

const STATUSES = ["UNKNOWN", "INFERENCE", "POC", "TRAINING", "STOPPED", "FAILED"] as const;

/** An echoed node config. */
export const nodeConfigShape: Shape<InferenceNodeConfig> = s.object<InferenceNodeConfig>({ id: s.string(), host: s.string() });
/** `GET /admin/v1/nodes`. */
export const nodeListShape: Shape<NodeResponse[]> = s.array(
  s.object<NodeResponse>({
    node: s.object({ id: s.optional(s.string()), host: s.optional(s.string()), node_num: s.optional(s.integer()) }),
    state: s.object({
      intended_status: s.optional(s.oneOf(STATUSES)),
      current_status: s.optional(s.oneOf(STATUSES)),
      admin_state: s.optional(s.object({ enabled: s.optional(s.boolean()) })),
      ml_node_version: s.optional(s.string()),
      preserved_models: s.optional(s.nullable(s.record(s.boolean()))),
    }),
  }),
);
/** `POST /admin/v1/nodes/batch` with 201: every config. */
export const nodeBatchShape: Shape<InferenceNodeConfig[]> = s.array(nodeConfigShape);
/** `POST /admin/v1/nodes/batch` with 206: `{nodes, errors}`. */
export const nodeBatchPartialShape: Shape<NodeBatchPartial> = s.object<NodeBatchPartial>({ nodes: s.array(nodeConfigShape), errors: s.array(s.string()) });
/** `POST /admin/v1/bridge/block`. */
export const bridgeBlockShape: Shape<BridgeBlockResponse> = s.object<BridgeBlockResponse>({ status: s.optional(s.string()), queueSize: s.optional(s.integer()) });
/** `POST /admin/v1/payloads`. */
export const storePayloadsShape: Shape<StorePayloadsResponse> = s.object<StorePayloadsResponse>({ status: s.oneOf(["success"]), inference_id: s.string() });
/** `POST /admin/v1/claim-reward/recover`. */
export const claimRecoverShape: Shape<ClaimRecoverResponse> = s.object<ClaimRecoverResponse>({ success: s.optional(s.boolean()), message: s.optional(s.string()) });
/** `GET /admin/v1/setup/report`. */
export const setupReportShape: Shape<SetupReport> = s.object<SetupReport>({ overall_status: s.optional(s.string()), checks: s.optional(s.array(s.object<NonNullable<SetupReport["checks"]>[number]>({ id: s.string(), status: s.string() }))) });
/** Enable/disable answers. */
export const adminStateShape: Shape<NodeAdminStateResponse> = s.object<NodeAdminStateResponse>({ message: s.string(), node_id: s.string() });
const reportShape: Shape<VersionHealthReport> = s.object<VersionHealthReport>({ is_alive: s.boolean(), error: s.optional(s.string()) });
/** Version reports. */
export const reportsShape: Shape<VersionHealthReports> = s.record(reportShape);
/** `GET /admin/v1/nodes/upgrade-status`. */
export const upgradeStatusShape: Shape<MessageResponse | VersionHealthReports> = s.union<MessageResponse | VersionHealthReports>([
  s.object<MessageResponse>({ message: s.string() }),
  reportsShape,
]);
/** `GET /admin/v1/unit-of-compute-price-proposal`. */
export const priceProposalShape: Shape<UnitOfComputePriceProposalResponse> = s.object<UnitOfComputePriceProposalResponse>({
  proposal: s.optional(s.nullable(s.object({ price: s.optional(s.integer()), participant: s.optional(s.string()) }))),
  default: s.optional(s.integer()),
});
/** `POST /admin/v1/tx/send`. */
export const txResponseShape: Shape<TxResponse> = s.object<TxResponse>({
  txhash: s.optional(s.string()),
  code: s.optional(s.integer()),
  height: s.optional(s.integer()),
  raw_log: s.optional(s.string()),
});
