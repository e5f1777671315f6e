/**
 * Which Gonka network release the SDK follows, and what each release has: the supported releases
 * (v0.2.2 … v0.2.13, target v0.2.13), per message type the release that added and removed it, and
 * the ML-ops grant list of today's chain.
 *
 * @example
 * ```ts
 * import { messageTypeAvailability, TARGET_RELEASE } from "gonka-sdk/network";
 * messageTypeAvailability("/inference.inference.MsgSubmitPocValidation", TARGET_RELEASE).status; // "removed"
 * ```
 * @packageDocumentation
 */
export {
  RELEASES,
  TARGET_RELEASE,
  SUPPORTED_RELEASES,
  MESSAGE_TYPE_HISTORY,
  messageTypeHistory,
  messageTypeAvailability,
  messageTypesAt,
  removedMessageType,
  compareReleases,
  isReleaseName,
  type ReleaseName,
  type ReleaseInfo,
  type MessageTypeHistory,
  type MessageTypeAvailability,
} from "./releases.js";
export { ML_OPS_GRANT_TYPE_URLS, ML_OPS_FEE_ALLOWANCE, ML_OPS_DROPPED_TYPE_URLS, type MlOpsFeeAllowance, type CoinAmount } from "./mlops.js";
export { RemovedMessageTypeError } from "./errors.js";
export {
  parseAppVersion,
  releaseForAppVersion,
  describeRelease,
  releaseFromParamsJson,
  NEWEST_KNOWN_RELEASE,
  type ParsedAppVersion,
  type ReleaseMatch,
  type ReleaseSupport,
  type ReleaseDescription,
} from "./info.js";
export { assertMessageTypesAvailable, MessageTypeNotInReleaseError, UnknownNetworkReleaseError, type TxTypeUrl } from "./availability.js";
export { FEE_EXEMPT_TYPE_URLS, FEE_EXEMPT_MAX_GAS, MAX_MIN_GAS_PRICE_NGONKA, isFeeExemptTx, type TxMessageTypes } from "./fees.js";
export { MESSAGE_FIELD_HISTORY, fieldsAddedAfter, type MessageFieldHistory } from "./fields.js";
