/**
 * Which Gonka chain release has which message types.
 *
 * The one place that knows, per transaction message type URL of Gonka's own modules, the chain
 * release (upgrade) that added it and, if it is gone, the release that removed it and its
 * replacement. Facts from `spec/chain-upgrades.md` §1 and §2: mainnet launched on v0.2.0 and has
 * executed every upgrade up to v0.2.13, the release gonka-sdk's protos follow.
 *
 * Cosmos SDK message types (`/cosmos.…`) are not listed: their layouts did not change across
 * these releases, and {@link messageTypeAvailability} reports them as `"untracked"`.
 *
 * @example
 * ```ts
 * messageTypeAvailability("/inference.inference.MsgSetPoCDelegation", "v0.2.11");
 * // { status: "not-yet-added", typeUrl: "…", addedIn: "v0.2.12" }
 * messageTypeAvailability("/inference.inference.MsgSubmitPocValidation", TARGET_RELEASE);
 * // { status: "removed", removedIn: "v0.2.12", replacedBy: "/inference.inference.MsgSubmitPocValidationsV2", … }
 * ```
 * @module
 */
import { InvalidArgumentError } from "../errors.js";

/** A chain release (the name of its upgrade handler), oldest first. */
export type ReleaseName =
  | "v0.2.0"
  | "v0.2.2"
  | "v0.2.3"
  | "v0.2.4"
  | "v0.2.5"
  | "v0.2.6"
  | "v0.2.7"
  | "v0.2.8"
  | "v0.2.9"
  | "v0.2.10"
  | "v0.2.11"
  | "v0.2.12"
  | "v0.2.13"
  | "v0.2.14";

/** One chain release. */
export interface ReleaseInfo {
  /** The upgrade name, e.g. `"v0.2.12"`. */
  readonly name: ReleaseName;
  /** True when mainnet has executed it (v0.2.14 is pending). */
  readonly executed: boolean;
  /** The gonka repository commit that merged it (short form); absent for the launch release. */
  readonly mergeCommit?: string;
  /** The merge date (a close proxy for the day it went live; the heights are not published). */
  readonly mergedOn?: string;
  /** What changed for an SDK user, in a few words. */
  readonly summary: string;
}

/**
 * Every release the SDK knows, oldest first: the launch release v0.2.0, the executed upgrades
 * v0.2.2 … v0.2.13, and the pending v0.2.14 (no proto change of its own).
 */
export const RELEASES: readonly ReleaseInfo[] = /* @__PURE__ */ Object.freeze([
  { name: "v0.2.0", executed: true, summary: "mainnet launch (chain.md describes the protos of this line)" },
  { name: "v0.2.2", executed: true, mergeCommit: "34146ed8", mergedOn: "2025-09-18", summary: "MLNode version on chain" },
  { name: "v0.2.3", executed: true, mergeCommit: "bacddd41", mergedOn: "2025-10-03", summary: "no proto change; reproducible PoC seeds" },
  { name: "v0.2.4", executed: true, mergeCommit: "aa85699a", mergedOn: "2025-10-22", summary: "pruning limits, invalidator field, training allowlist" },
  { name: "v0.2.5", executed: true, mergeCommit: "0becc23a", mergedOn: "2025-11-22", summary: "Ethereum bridge, confirmation PoC, SPRT params" },
  { name: "v0.2.6", executed: true, mergeCommit: "82c43a42", mergedOn: "2025-12-22", summary: "off-chain payloads: Start/Finish carry hashes, error_message responses" },
  { name: "v0.2.7", executed: true, mergeCommit: "a0cdbf64", mergedOn: "2026-01-08", summary: "guardian, developer and participant access params; participant allowlist" },
  { name: "v0.2.8", executed: true, mergeCommit: "f038d984", mergedOn: "2026-01-29", summary: "PoC v2 messages; MsgValidation.value_decimal" },
  { name: "v0.2.9", executed: true, mergeCommit: "4367afdf", mergedOn: "2026-02-02", summary: "PoC v2 on (MsgSubmitPocBatch rejected); transfer-agent allowlist" },
  { name: "v0.2.10", executed: true, mergeCommit: "bb2de824", mergedOn: "2026-02-18", summary: "PoC validation sampling; streamvesting transfers" },
  { name: "v0.2.11", executed: true, mergeCommit: "bd1fd508", mergedOn: "2026-03-20", summary: "subnet escrows, IBC token trading, batch vesting transfers" },
  { name: "v0.2.12", executed: true, mergeCommit: "d8b8e907", mergedOn: "2026-04-29", summary: "multi-model PoC, delegation, fees, devshard rename; training and top miner removed" },
  { name: "v0.2.13", executed: true, mergeCommit: "17808620", mergedOn: "2026-05-26", summary: "devshard request switch, gov quorum 0.25" },
  { name: "v0.2.14", executed: false, mergeCommit: "8a35022b", mergedOn: "2026-06-19", summary: "pending; backfills devshard params, no proto change" },
] satisfies ReleaseInfo[]);

/** The release gonka-sdk's protos and flows follow. */
export const TARGET_RELEASE: ReleaseName = "v0.2.13";

/** The releases the SDK supports, oldest first: v0.2.2 … v0.2.13. */
export const SUPPORTED_RELEASES: readonly ReleaseName[] = /* @__PURE__ */ (() =>
  Object.freeze(RELEASES.filter((r) => r.executed && r.name !== "v0.2.0").map((r) => r.name)))();

/** When a message type came and (if it did) went. */
export interface MessageTypeHistory {
  /** The type URL, e.g. `"/inference.inference.MsgStartInference"`. */
  readonly typeUrl: string;
  /** The release that added it (`"v0.2.0"` = present at launch). */
  readonly addedIn: ReleaseName;
  /** The release that removed it, if the chain no longer has it. */
  readonly removedIn?: ReleaseName;
  /** The type URL that replaces it, if any. */
  readonly replacedBy?: string;
  /** Wire or behaviour changes since it was added, per release. */
  readonly changes?: readonly { readonly release: ReleaseName; readonly what: string }[];
}

const I = "/inference.inference.";
const TRAINING_REMOVAL = { removedIn: "v0.2.12" } as const;

/** The history of every message type of Gonka's own modules, per module: launch types first, then by release. */
export const MESSAGE_TYPE_HISTORY: readonly MessageTypeHistory[] = /* @__PURE__ */ (() => Object.freeze([
  // inference.inference: present at launch
  { typeUrl: `${I}MsgUpdateParams`, addedIn: "v0.2.0", changes: [{ release: "v0.2.12", what: "Params grew to 16 sub-messages; TokenomicsParams 4, 5, 8 removed" }] },
  {
    typeUrl: `${I}MsgStartInference`,
    addedIn: "v0.2.0",
    changes: [
      { release: "v0.2.6", what: "field 16 original_prompt_hash required; payload fields deprecated; response error_message" },
      { release: "v0.2.9", what: "creator must be an allow-listed transfer agent" },
    ],
  },
  {
    typeUrl: `${I}MsgFinishInference`,
    addedIn: "v0.2.0",
    changes: [{ release: "v0.2.6", what: "fields 15 prompt_hash and 16 original_prompt_hash required; response error_message" }],
  },
  { typeUrl: `${I}MsgSubmitNewParticipant`, addedIn: "v0.2.0", changes: [{ release: "v0.2.12", what: "updates an existing record field by field; no longer an ML-ops grant" }] },
  { typeUrl: `${I}MsgValidation`, addedIn: "v0.2.0", changes: [{ release: "v0.2.8", what: "field 8 value_decimal; the double value is deprecated" }] },
  { typeUrl: `${I}MsgSubmitNewUnfundedParticipant`, addedIn: "v0.2.0" },
  { typeUrl: `${I}MsgInvalidateInference`, addedIn: "v0.2.0", changes: [{ release: "v0.2.4", what: "field 3 invalidator" }] },
  { typeUrl: `${I}MsgRevalidateInference`, addedIn: "v0.2.0", changes: [{ release: "v0.2.4", what: "field 3 invalidator" }] },
  { typeUrl: `${I}MsgClaimRewards`, addedIn: "v0.2.0" },
  { typeUrl: `${I}MsgSubmitPocBatch`, addedIn: "v0.2.0", changes: [{ release: "v0.2.9", what: "rejected while poc_v2_enabled (PoC v2 is on)" }] },
  { typeUrl: `${I}MsgSubmitPocValidation`, addedIn: "v0.2.0", removedIn: "v0.2.12", replacedBy: `${I}MsgSubmitPocValidationsV2` },
  { typeUrl: `${I}MsgSubmitSeed`, addedIn: "v0.2.0" },
  { typeUrl: `${I}MsgSubmitUnitOfComputePriceProposal`, addedIn: "v0.2.0" },
  { typeUrl: `${I}MsgRegisterModel`, addedIn: "v0.2.0" },
  { typeUrl: `${I}MsgCreateTrainingTask`, addedIn: "v0.2.0", ...TRAINING_REMOVAL },
  { typeUrl: `${I}MsgSubmitHardwareDiff`, addedIn: "v0.2.0", changes: [{ release: "v0.2.12", what: "HardwareNode field 7 version" }] },
  { typeUrl: `${I}MsgCreatePartialUpgrade`, addedIn: "v0.2.0" },
  { typeUrl: `${I}MsgClaimTrainingTaskForAssignment`, addedIn: "v0.2.0", ...TRAINING_REMOVAL },
  { typeUrl: `${I}MsgAssignTrainingTask`, addedIn: "v0.2.0", ...TRAINING_REMOVAL },
  { typeUrl: `${I}MsgSubmitTrainingKvRecord`, addedIn: "v0.2.0", ...TRAINING_REMOVAL },
  { typeUrl: `${I}MsgJoinTraining`, addedIn: "v0.2.0", ...TRAINING_REMOVAL },
  { typeUrl: `${I}MsgTrainingHeartbeat`, addedIn: "v0.2.0", ...TRAINING_REMOVAL },
  { typeUrl: `${I}MsgSetBarrier`, addedIn: "v0.2.0", ...TRAINING_REMOVAL },
  { typeUrl: `${I}MsgJoinTrainingStatus`, addedIn: "v0.2.0", ...TRAINING_REMOVAL },
  { typeUrl: `${I}MsgCreateDummyTrainingTask`, addedIn: "v0.2.0", ...TRAINING_REMOVAL },
  { typeUrl: `${I}MsgBridgeExchange`, addedIn: "v0.2.0" },
  // inference.inference: added by upgrades
  { typeUrl: `${I}MsgAddUserToTrainingAllowList`, addedIn: "v0.2.4", ...TRAINING_REMOVAL },
  { typeUrl: `${I}MsgRemoveUserFromTrainingAllowList`, addedIn: "v0.2.4", ...TRAINING_REMOVAL },
  { typeUrl: `${I}MsgSetTrainingAllowList`, addedIn: "v0.2.4", ...TRAINING_REMOVAL },
  { typeUrl: `${I}MsgRegisterBridgeAddresses`, addedIn: "v0.2.5" },
  { typeUrl: `${I}MsgRegisterLiquidityPool`, addedIn: "v0.2.5" },
  { typeUrl: `${I}MsgRegisterTokenMetadata`, addedIn: "v0.2.5" },
  { typeUrl: `${I}MsgApproveBridgeTokenForTrading`, addedIn: "v0.2.5" },
  { typeUrl: `${I}MsgRequestBridgeWithdrawal`, addedIn: "v0.2.5", changes: [{ release: "v0.2.12", what: "field 5 destination_bridge_address" }] },
  { typeUrl: `${I}MsgRequestBridgeMint`, addedIn: "v0.2.5", changes: [{ release: "v0.2.12", what: "field 5 destination_bridge_address" }] },
  { typeUrl: `${I}MsgRegisterWrappedTokenContract`, addedIn: "v0.2.5" },
  { typeUrl: `${I}MsgMigrateAllWrappedTokens`, addedIn: "v0.2.5" },
  { typeUrl: `${I}MsgAddParticipantsToAllowList`, addedIn: "v0.2.7" },
  { typeUrl: `${I}MsgRemoveParticipantsFromAllowList`, addedIn: "v0.2.7" },
  { typeUrl: `${I}MsgSubmitPocValidationsV2`, addedIn: "v0.2.8", changes: [{ release: "v0.2.12", what: "entries carry model_id (multi-model)" }] },
  { typeUrl: `${I}MsgPoCV2StoreCommit`, addedIn: "v0.2.8", changes: [{ release: "v0.2.12", what: "field 5 entries per model; count and root_hash deprecated" }] },
  { typeUrl: `${I}MsgMLNodeWeightDistribution`, addedIn: "v0.2.8", changes: [{ release: "v0.2.12", what: "field 4 entries per model; weights deprecated" }] },
  { typeUrl: `${I}MsgCreateSubnetEscrow`, addedIn: "v0.2.11", removedIn: "v0.2.12", replacedBy: `${I}MsgCreateDevshardEscrow` },
  { typeUrl: `${I}MsgSettleSubnetEscrow`, addedIn: "v0.2.11", removedIn: "v0.2.12", replacedBy: `${I}MsgSettleDevshardEscrow` },
  { typeUrl: `${I}MsgDeleteGovernanceModel`, addedIn: "v0.2.11" },
  { typeUrl: `${I}MsgApproveIbcTokenForTrading`, addedIn: "v0.2.11" },
  { typeUrl: `${I}MsgRegisterIbcTokenMetadata`, addedIn: "v0.2.11" },
  { typeUrl: `${I}MsgCancelBridgeOperation`, addedIn: "v0.2.12" },
  { typeUrl: `${I}MsgGovernanceCancelBridgeOperation`, addedIn: "v0.2.12" },
  { typeUrl: `${I}MsgCreateDevshardEscrow`, addedIn: "v0.2.12" },
  { typeUrl: `${I}MsgSettleDevshardEscrow`, addedIn: "v0.2.12", changes: [{ release: "v0.2.13", what: "field 9 renamed state_root_and_protocol_version (same wire)" }] },
  { typeUrl: `${I}MsgSetPoCDelegation`, addedIn: "v0.2.12" },
  { typeUrl: `${I}MsgRefusePoCDelegation`, addedIn: "v0.2.12" },
  { typeUrl: `${I}MsgDeclarePoCIntent`, addedIn: "v0.2.12" },
  { typeUrl: `${I}MsgSetDevshardRequestsEnabled`, addedIn: "v0.2.13" },
  // inference.bls
  { typeUrl: "/inference.bls.MsgUpdateParams", addedIn: "v0.2.0", changes: [{ release: "v0.2.12", what: "Params fields 6-8" }] },
  { typeUrl: "/inference.bls.MsgSubmitDealerPart", addedIn: "v0.2.0" },
  { typeUrl: "/inference.bls.MsgSubmitVerificationVector", addedIn: "v0.2.0", changes: [{ release: "v0.2.12", what: "fields 4 dealer_complaints and 5 dealer_validity_proofs" }] },
  { typeUrl: "/inference.bls.MsgSubmitGroupKeyValidationSignature", addedIn: "v0.2.0" },
  { typeUrl: "/inference.bls.MsgSubmitPartialSignature", addedIn: "v0.2.0" },
  { typeUrl: "/inference.bls.MsgRequestThresholdSignature", addedIn: "v0.2.0", changes: [{ release: "v0.2.12", what: "response field 1 derived_request_id" }] },
  { typeUrl: "/inference.bls.MsgRespondDealerComplaints", addedIn: "v0.2.12" },
  // inference.streamvesting
  { typeUrl: "/inference.streamvesting.MsgUpdateParams", addedIn: "v0.2.0" },
  { typeUrl: "/inference.streamvesting.MsgTransferWithVesting", addedIn: "v0.2.10" },
  { typeUrl: "/inference.streamvesting.MsgBatchTransferWithVesting", addedIn: "v0.2.11" },
  // inference.collateral, restrictions, genesistransfer, bookkeeper: unchanged since launch
  { typeUrl: "/inference.collateral.MsgUpdateParams", addedIn: "v0.2.0" },
  { typeUrl: "/inference.collateral.MsgDepositCollateral", addedIn: "v0.2.0" },
  { typeUrl: "/inference.collateral.MsgWithdrawCollateral", addedIn: "v0.2.0" },
  { typeUrl: "/inference.restrictions.MsgUpdateParams", addedIn: "v0.2.0" },
  { typeUrl: "/inference.restrictions.MsgExecuteEmergencyTransfer", addedIn: "v0.2.0" },
  { typeUrl: "/inference.genesistransfer.MsgUpdateParams", addedIn: "v0.2.0" },
  { typeUrl: "/inference.genesistransfer.MsgTransferOwnership", addedIn: "v0.2.0" },
  { typeUrl: "/inference.bookkeeper.MsgUpdateParams", addedIn: "v0.2.0" },
] satisfies MessageTypeHistory[]))();

// Pure initializers without arguments: an app bundle that never asks about releases drops the tables.
const byTypeUrl: ReadonlyMap<string, MessageTypeHistory> = /* @__PURE__ */ (() => new Map(MESSAGE_TYPE_HISTORY.map((h) => [h.typeUrl, h])))();
const order: ReadonlyMap<string, number> = /* @__PURE__ */ (() => new Map(RELEASES.map((r, i) => [r.name, i])))();

/** The history of one type URL, or `undefined` when it is not one of Gonka's own message types. */
export function messageTypeHistory(typeUrl: string): MessageTypeHistory | undefined {
  return byTypeUrl.get(typeUrl);
}

/**
 * The history of a type URL the chain no longer has at the {@link TARGET_RELEASE}, or `undefined`.
 *
 * @example
 * ```ts
 * removedMessageType("/inference.inference.MsgJoinTraining")?.removedIn; // "v0.2.12"
 * ```
 */
export function removedMessageType(typeUrl: string): (MessageTypeHistory & { removedIn: ReleaseName }) | undefined {
  const h = byTypeUrl.get(typeUrl);
  if (h?.removedIn === undefined) return undefined;
  return compareReleases(h.removedIn, TARGET_RELEASE) <= 0 ? (h as MessageTypeHistory & { removedIn: ReleaseName }) : undefined;
}

/** True when `name` is one of {@link RELEASES}. */
export function isReleaseName(name: string): name is ReleaseName {
  return order.has(name);
}

/**
 * Orders two releases: negative when `a` is older than `b`, 0 when equal, positive when newer.
 *
 * @throws {InvalidArgumentError} for a name not in {@link RELEASES}.
 */
export function compareReleases(a: ReleaseName, b: ReleaseName): number {
  return releaseIndex(a, "a") - releaseIndex(b, "b");
}

function releaseIndex(name: string, argument: string): number {
  const i = order.get(name);
  if (i === undefined) {
    throw new InvalidArgumentError(argument, `"${name}" is not a known Gonka release`, {
      details: `Known releases: ${RELEASES.map((r) => r.name).join(", ")}.`,
    });
  }
  return i;
}

/** Whether a message type exists at a release; see {@link messageTypeAvailability}. */
export type MessageTypeAvailability =
  | { readonly status: "available"; readonly typeUrl: string; readonly addedIn: ReleaseName }
  | { readonly status: "not-yet-added"; readonly typeUrl: string; readonly addedIn: ReleaseName }
  | { readonly status: "removed"; readonly typeUrl: string; readonly addedIn: ReleaseName; readonly removedIn: ReleaseName; readonly replacedBy?: string }
  | { readonly status: "untracked"; readonly typeUrl: string };

/**
 * Whether the chain at `release` has the message type `typeUrl`:
 * - `"available"`: added at or before `release`, not removed by it;
 * - `"not-yet-added"`: a later release added it (a node on `release` refuses it);
 * - `"removed"`: `release` or an earlier upgrade removed it (with the replacement, if any);
 * - `"untracked"`: not a message of Gonka's own modules (Cosmos SDK types, whose layouts did not
 *   change across these releases, or a type URL nobody knows).
 *
 * @example
 * ```ts
 * messageTypeAvailability("/inference.inference.MsgValidation", "v0.2.13").status; // "available"
 * messageTypeAvailability("/inference.inference.MsgDeclarePoCIntent", "v0.2.10").status; // "not-yet-added"
 * ```
 * @throws {InvalidArgumentError} when `release` is not a known release name.
 */
export function messageTypeAvailability(typeUrl: string, release: ReleaseName): MessageTypeAvailability {
  const at = releaseIndex(release, "release");
  const h = byTypeUrl.get(typeUrl);
  if (!h) return { status: "untracked", typeUrl };
  if (releaseIndex(h.addedIn, "addedIn") > at) return { status: "not-yet-added", typeUrl, addedIn: h.addedIn };
  if (h.removedIn !== undefined && releaseIndex(h.removedIn, "removedIn") <= at) {
    return {
      status: "removed",
      typeUrl,
      addedIn: h.addedIn,
      removedIn: h.removedIn,
      ...(h.replacedBy !== undefined ? { replacedBy: h.replacedBy } : {}),
    };
  }
  return { status: "available", typeUrl, addedIn: h.addedIn };
}

/**
 * The message type URLs of Gonka's own modules that exist at `release`, in the order of
 * {@link MESSAGE_TYPE_HISTORY}.
 *
 * @example
 * ```ts
 * messageTypesAt("v0.2.13").filter((u) => u.startsWith("/inference.inference.")).length; // 40
 * ```
 */
export function messageTypesAt(release: ReleaseName): string[] {
  return MESSAGE_TYPE_HISTORY.filter((h) => messageTypeAvailability(h.typeUrl, release).status === "available").map((h) => h.typeUrl);
}
