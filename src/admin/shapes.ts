/**
 * Runtime checks of admin API responses, typed against the generated OpenAPI types.
 * @module
 */
import { s, type Shape } from "../http/index.js";
import type {
  InferenceNodeConfig,
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
    }),
  }),
);
/** `POST /admin/v1/nodes/batch` (`null` when nothing was added). */
export const nodeBatchShape: Shape<InferenceNodeConfig[] | null> = s.nullable(s.array(nodeConfigShape));
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
