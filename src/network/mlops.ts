/**
 * What `inferenced tx inference grant-ml-ops-permissions` grants at chain v0.2.12+ (spec
 * `chain-upgrades.md` §5): 20 authz `GenericAuthorization`s from the account (cold) key to the
 * ML-ops (warm) key, then — only when the pair has no fee allowance yet — one feegrant
 * `BasicAllowance` so that the warm key's txs are paid by the cold account (`fee.granter`).
 *
 * Data only; the flow that sends it lives in `src/chain/actions/mlops.ts`.
 * @module
 */

/** The 20 message types granted to the ML-ops key, in the CLI's order (v0.2.13). */
export const ML_OPS_GRANT_TYPE_URLS: readonly string[] = Object.freeze([
  "/inference.inference.MsgStartInference",
  "/inference.inference.MsgFinishInference",
  "/inference.inference.MsgClaimRewards",
  "/inference.inference.MsgValidation",
  "/inference.inference.MsgSubmitPocBatch",
  "/inference.inference.MsgSubmitPocValidationsV2",
  "/inference.inference.MsgPoCV2StoreCommit",
  "/inference.inference.MsgMLNodeWeightDistribution",
  "/inference.inference.MsgSubmitSeed",
  "/inference.inference.MsgBridgeExchange",
  "/inference.inference.MsgSubmitNewUnfundedParticipant",
  "/inference.inference.MsgSubmitHardwareDiff",
  "/inference.inference.MsgInvalidateInference",
  "/inference.inference.MsgRevalidateInference",
  "/inference.bls.MsgSubmitDealerPart",
  "/inference.bls.MsgSubmitVerificationVector",
  "/inference.bls.MsgRespondDealerComplaints",
  "/inference.bls.MsgRequestThresholdSignature",
  "/inference.bls.MsgSubmitPartialSignature",
  "/inference.bls.MsgSubmitGroupKeyValidationSignature",
]);

/** A coin amount as the chain writes it (`amount` an integer string). */
export interface CoinAmount {
  readonly denom: string;
  readonly amount: string;
}

/** The fee allowance the CLI grants cold → warm when none exists yet. */
export interface MlOpsFeeAllowance {
  /** Type URL of the allowance inside `MsgGrantAllowance.allowance`. */
  readonly typeUrl: "/cosmos.feegrant.v1beta1.BasicAllowance";
  /** `BasicAllowance.spend_limit`: 10 GNK = 10,000,000,000 ngonka. */
  readonly spendLimit: readonly CoinAmount[];
}

/** The default ML-ops fee allowance: a `BasicAllowance` of 10 GNK (expiry: the grants' expiry). */
export const ML_OPS_FEE_ALLOWANCE: MlOpsFeeAllowance = Object.freeze({
  typeUrl: "/cosmos.feegrant.v1beta1.BasicAllowance",
  spendLimit: Object.freeze([Object.freeze({ denom: "ngonka", amount: "10000000000" })]),
});

/**
 * The ML-ops type URLs of the v0.2.0 launch list (25) that the chain no longer has at v0.2.13 or no
 * longer grants: `MsgSubmitPocValidation`, seven training Msgs, and `MsgSubmitNewParticipant`
 * (which still exists but is no longer granted). Useful to revoke an old host's stale grants.
 */
export const ML_OPS_DROPPED_TYPE_URLS: readonly string[] = Object.freeze([
  "/inference.inference.MsgSubmitPocValidation",
  "/inference.inference.MsgSubmitTrainingKvRecord",
  "/inference.inference.MsgJoinTraining",
  "/inference.inference.MsgJoinTrainingStatus",
  "/inference.inference.MsgTrainingHeartbeat",
  "/inference.inference.MsgSetBarrier",
  "/inference.inference.MsgClaimTrainingTaskForAssignment",
  "/inference.inference.MsgAssignTrainingTask",
  "/inference.inference.MsgSubmitNewParticipant",
]);
