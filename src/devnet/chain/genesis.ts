/**
 * Genesis of the devnet chain: the inference, bls and gov params mainnet holds at v0.2.13
 * (spec chain-upgrades.md §3; genesis plus the upgrade handlers), and the governance models.
 */
import { create, fromJson, type JsonObject } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { ParamsSchema as InferenceParamsSchema, type Params as InferenceParams } from "../../../generated/proto/inference/inference/params_pb.js";
import { ParamsSchema as GovParamsSchema, type Params as GovParams } from "../../../generated/proto/cosmos/gov/v1/gov_pb.js";
import { ParamsSchema as BlsParamsSchema, type Params as BlsParams } from "../../../generated/proto/inference/bls/params_pb.js";
import { ModelSchema, type Model } from "../../../generated/proto/inference/inference/model_pb.js";

const d = (value: string, exponent = 0): JsonObject => (exponent === 0 ? { value } : { value, exponent });

/** A PoC model of `poc_params.models`: id, seq_len, stat test (dist / p_mismatch / p_value), weight scale, penalty start. */
export interface PocModelSpec {
  /** Governance model id, e.g. `Qwen/Qwen3-235B-A22B-Instruct-2507-FP8`. */
  modelId: string;
  /** Sequence length (mainnet 1024). */
  seqLen?: bigint;
  /** `stat_test.dist_threshold` as a decimal string (mainnet Qwen: "0.2"). */
  distThreshold?: string;
  /** `weight_scale_factor` as a decimal string. */
  weightScaleFactor?: string;
  /** `penalty_start_epoch`. */
  penaltyStartEpoch?: bigint;
}

/** The three PoC models mainnet runs after v0.2.13 (spec §3.1 table), in order. */
export const MAINNET_POC_MODELS: readonly PocModelSpec[] = [
  { modelId: "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", distThreshold: "0.2", weightScaleFactor: "0.3593", penaltyStartEpoch: 0n },
  // penalty_start_epoch: "effective epoch at v0.2.12 + 3" (the vectors' value).
  { modelId: "moonshotai/Kimi-K2.6", distThreshold: "0.4", weightScaleFactor: "0.78", penaltyStartEpoch: 226n },
  { modelId: "MiniMaxAI/MiniMax-M2.7", distThreshold: "0.75", weightScaleFactor: "0.3024", penaltyStartEpoch: 278n },
];

/** `"0.3593"` → `{value: "3593", exponent: -4}` (the chain's Decimal). */
export function decimalJson(s: string): JsonObject {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal: ${s}`);
  const frac = (m[3] ?? "").replace(/0+$/, "");
  const digits = `${m[2]}${frac}`.replace(/^0+(?=\d)/, "");
  return digits === "0" ? {} : d(`${m[1]}${digits}`, -frac.length);
}

function pocModelJson(m: PocModelSpec): JsonObject {
  return {
    modelId: m.modelId,
    seqLen: String(m.seqLen ?? 1024n),
    statTest: { distThreshold: decimalJson(m.distThreshold ?? "0.2"), pMismatch: d("1", -1), pValueThreshold: d("5", -2) },
    weightScaleFactor: decimalJson(m.weightScaleFactor ?? "1"),
    ...(m.penaltyStartEpoch ? { penaltyStartEpoch: String(m.penaltyStartEpoch) } : {}),
  };
}

/** Options of {@link mainnetInferenceParams}. */
export interface GenesisParamsOptions {
  /** `poc_params.models` (default {@link MAINNET_POC_MODELS}); `delegation_params.initial_model_id` is the first. */
  pocModels?: readonly PocModelSpec[];
  /** `poc_params.poc_v2_enabled` (default true, as on mainnet since v0.2.9). */
  pocV2Enabled?: boolean;
  /** `fee_params.min_gas_price_ngonka` (default 0, as on mainnet since v0.2.12). */
  minGasPriceNgonka?: bigint;
}

/**
 * The inference module params mainnet holds at v0.2.13: every field of the 16 sub-messages with
 * the values of spec §3.1. Deprecated fields are empty (the v0.2.12 handler cleared them).
 *
 * Devnet choices, where mainnet's value only makes sense on mainnet: the access heights mainnet
 * has passed (developer gating 2,294,222; registration and allowlist 2,475,000) are 0 here, so a
 * devnet that starts at height 1 is as open as mainnet is today; the address lists (guardians,
 * developers, transfer agents, devshard creators) name real mainnet hosts and are empty here
 * (empty = nobody gated). Set them through `inferenceParams` to test the gates.
 */
export function mainnetInferenceParams(options: GenesisParamsOptions = {}): InferenceParams {
  const models = options.pocModels ?? MAINNET_POC_MODELS;
  return fromJson(InferenceParamsSchema, {
    epochParams: {
      epochLength: "17280", epochMultiplier: "1", epochShift: "16980", defaultUnitOfComputePrice: "100",
      pocStageDuration: "35", pocValidationDelay: "5", pocValidationDuration: "240", setNewValidatorsDelay: "120",
      inferenceValidationCutoff: "2", inferencePruningEpochThreshold: "2", inferencePruningMax: "5000", pocPruningMax: "1000",
      pocSlotAllocation: d("1", -1), confirmationPocSafetyWindow: "500",
    },
    validationParams: {
      falsePositiveRate: d("5", -2), minRampUpMeasurements: 10, passValue: d("99", -2), minValidationAverage: d("1", -2),
      maxValidationAverage: d("1"), expirationBlocks: "150", epochsToMax: "30", fullValidationTrafficCutoff: "10000",
      minValidationHalfway: d("5", -2), minValidationTrafficCutoff: "100", missPercentageCutoff: d("1", -2),
      missRequestsPenalty: d("1"), timestampExpiration: "60", timestampAdvance: "30", estimatedLimitsPerBlockKb: "0",
      invalidReputationPreserve: {}, badParticipantInvalidationRate: d("1", -1), invalidationHThreshold: d("4"),
      downtimeGoodPercentage: d("98", -2), downtimeBadPercentage: d("99", -2), downtimeHThreshold: d("100"),
      downtimeReputationPreserve: {}, quickFailureThreshold: d("1", -6), binomTestP0: d("4", -1), claimValidationEnabled: false,
      logprobsMode: "processed_logprobs",
    },
    pocParams: {
      defaultDifficulty: 5, validationSampleSize: 200, pocDataPruningEpochThreshold: "1",
      pocV2Enabled: options.pocV2Enabled ?? true, confirmationPocV2Enabled: true, validationSlots: 0,
      pocNormalizationEnabled: true, pocStrongerRngEnabled: false, models: models.map(pocModelJson),
    },
    tokenomicsParams: {
      subsidyReductionInterval: d("5", -2), subsidyReductionAmount: d("2", -1), currentSubsidyPercentage: d("9", -1),
      // Fields 4, 5 and 8 (top-miner rewards) were removed by the v0.2.12 upgrade.
      workVestingPeriod: "180", rewardVestingPeriod: "180",
    },
    collateralParams: {
      slashFractionInvalid: d("2", -1), slashFractionDowntime: d("1", -1), downtimeMissedPercentageThreshold: d("5", -2),
      gracePeriodEndEpoch: "180", baseWeightRatio: d("2", -1), collateralPerWeightUnit: d("42", -1),
    },
    bitcoinRewardParams: {
      useBitcoinRewards: true, initialEpochReward: "323000000000000", decayRate: d("-475", -6), genesisEpoch: "1",
      utilizationBonusFactor: d("5", -1), fullCoverageBonusFactor: d("12", -1), partialCoverageBonusFactor: d("1", -1),
    },
    dynamicPricingParams: {
      stabilityZoneLowerBound: d("4", -1), stabilityZoneUpperBound: d("6", -1), priceElasticity: d("5", -2),
      utilizationWindowDuration: "60", minPerTokenPrice: "1", basePerTokenPrice: "100", gracePeriodEndEpoch: "90",
      gracePeriodPerTokenPrice: "0",
    },
    bandwidthLimitsParams: {
      estimatedLimitsPerBlockKb: "10752", kbPerInputToken: d("23", -4), kbPerOutputToken: d("64", -2), invalidationsLimit: "500",
      invalidationsSamplePeriod: "120", invalidationsLimitCurve: "250", minimumConcurrentInvalidations: 1, maxInferencesPerBlock: "1000",
    },
    confirmationPocParams: { expectedConfirmationsPerEpoch: "1", alphaThreshold: d("5", -1), slashFraction: {}, upgradeProtectionWindow: "500" },
    genesisGuardianParams: { networkMaturityThreshold: "15000000", networkMaturityMinHeight: "3000000", guardianAddresses: [] },
    developerAccessParams: { untilBlockHeight: "0", allowedDeveloperAddresses: [] },
    participantAccessParams: {
      newParticipantRegistrationStartHeight: "0", blockedParticipantAddresses: [], useParticipantAllowlist: false,
      participantAllowlistUntilBlockHeight: "0",
    },
    transferAgentAccessParams: { allowedTransferAddresses: [] },
    devshardEscrowParams: {
      minAmount: "50000000", maxAmount: "100000000000", maxEscrowsPerEpoch: 500000, groupSize: 16, allowedCreatorAddresses: [],
      tokenPrice: "10", approvedVersions: [], maxNonce: 1000000, devshardRequestsEnabled: true,
      // 10-18: 0 on mainnet until v0.2.14 backfills them (spec §3.1).
    },
    feeParams: { minGasPriceNgonka: String(options.minGasPriceNgonka ?? 0n), baseValidationGas: "500000", gasPerPocCount: "100" },
    delegationParams: {
      deployWindow: "500", refusalPenalty: d("1", -1), noParticipationPenalty: d("15", -2), delegationShare: d("5", -2),
      wThreshold: d("3", -1), vMin: "3", capFactor: d("75", -2), initialModelId: models[0]?.modelId ?? "",
      maxModelVotingPowerPercentage: d("3", -1),
    },
  });
}

/** The `inference.bls` params (spec §3.2): 100 slots, offset 50, phases 5 / 3 / 10 blocks, dispute 6, fallback off, 3 attempts. */
export function mainnetBlsParams(): BlsParams {
  return create(BlsParamsSchema, {
    iTotalSlots: 100, tSlotsDegreeOffset: 50, dealingPhaseDurationBlocks: 5n, verificationPhaseDurationBlocks: 3n,
    signingDeadlineBlocks: 10n, disputePhaseDurationBlocks: 6n, completedFallbackBlocks: 0n, maxSigningAttempts: 3,
  });
}

/** Gov params of mainnet at v0.2.13 (quorum 0.25), with the voting period given in ms (mainnet: 48 h). */
export function mainnetGovParams(votingPeriodMs = 48 * 3600_000): GovParams {
  return create(GovParamsSchema, {
    minDeposit: [{ denom: "ngonka", amount: "25000000" }],
    maxDepositPeriod: durationFromMs(172_800_000),
    votingPeriod: durationFromMs(votingPeriodMs),
    quorum: "0.250000000000000000",
    threshold: "0.500000000000000000",
    vetoThreshold: "0.334000000000000000",
    minInitialDepositRatio: "0.000000000000000000",
    proposalCancelRatio: "0.500000000000000000",
    expeditedVotingPeriod: durationFromMs(Math.min(votingPeriodMs, 12 * 3600_000)),
    expeditedThreshold: "0.667000000000000000",
    expeditedMinDeposit: [{ denom: "ngonka", amount: "50000000" }],
    burnVoteQuorum: false,
    burnProposalDepositPrevote: false,
    burnVoteVeto: true,
    minDepositRatio: "0.010000000000000000",
  });
}

/** Governance models for the given ids (units of compute 100 per token, validation threshold 0.94). */
export function governanceModels(ids: readonly string[], proposedBy = "genesis"): Model[] {
  return ids.map((id) =>
    create(ModelSchema, {
      proposedBy, id, unitsOfComputePerToken: 100n, hfRepo: id, hfCommit: "", modelArgs: [], vRam: 0n, throughputPerNonce: 0n,
      validationThreshold: { value: 94n, exponent: -2 },
    }),
  );
}
